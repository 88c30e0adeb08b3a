-- wrk's done() hook for bench/http.sh: latency percentiles in microseconds, one a line ("percentile 99.9 1834").
-- wrk --latency prints 50, 75, 90 and 99% only; the tail beyond 99% needs the histogram, which only a script sees.
done = function(summary, latency, requests)
  for _, p in ipairs({ 50, 99, 99.9 }) do
    io.write(string.format("percentile %g %d\n", p, latency:percentile(p)))
  end
end
