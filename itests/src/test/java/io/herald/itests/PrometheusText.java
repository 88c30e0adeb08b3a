package io.herald.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.testing.node.NpmProject;

/**
 * Metrics text parsed by a real Prometheus text-format parser: the Prometheus Python client's
 * ({@code prometheus_client.parser}, Debian's {@code python3-prometheus-client}, run by the system's
 * {@code /usr/bin/python3} with {@code src/test/python/parse_prometheus.py}), so the test never checks the format with its
 * own reading of it. (The npm package parse-prometheus-text-format 1.1.1 drops the labels, count and sum of every
 * histogram with labels.) Without it the test fails naming {@code .ci/run}, which installs it.
 */
final class PrometheusText {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText(JsonNode parsed) {
        for (JsonNode family : parsed) {
            types.put(family.get("name").asText(), family.get("type").asText());
            for (JsonNode sample : family.get("samples")) {
                Map<String, String> labels = new LinkedHashMap<>();
                sample.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                JsonNode value = sample.get("value");
                samples.add(new Sample(sample.get("name").asText(), labels, value.isNumber() ? value.asDouble()
                        : special(value.asText())));
            }
        }
    }

    /** Python's words for the values JSON has no number for. */
    private static double special(String value) {
        return switch (value) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("not a sample value: " + value);
        };
    }

    /** @throws AssertionError when the parser refuses the text, with its error and the text */
    static PrometheusText parse(String text) throws IOException, InterruptedException {
        Path script = NpmProject.moduleDirectory().resolve("src/test/python/parse_prometheus.py");
        if (!Files.isExecutable(PYTHON)) {
            throw new AssertionError("the metrics test needs " + PYTHON + " with the Prometheus client (Debian package "
                    + "python3-prometheus-client): .ci/run installs it");
        }
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out;
        byte[] err;
        try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
            out = stdout.readAllBytes();
            err = stderr.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the Prometheus parser did not finish");
        }
        String error = new String(err, StandardCharsets.UTF_8);
        if (error.contains("No module named 'prometheus_client'")) {
            throw new AssertionError("the metrics test needs the Prometheus client for " + PYTHON + " (Debian package "
                    + "python3-prometheus-client): .ci/run installs it");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser refused the metrics: " + error + "\n" + text);
        }
        return new PrometheusText(JSON.readTree(out));
    }

    /** The type the text declared for a family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    String type(String family) {
        return types.get(family);
    }

    /**
     * The value of the one sample named {@code name} whose labels include all of {@code labels}.
     *
     * @throws AssertionError when none or several match
     */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = matching(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + " have the labels " + labels + ": "
                    + matching(name, Map.of()));
        }
        return found.get(0).value();
    }

    /** Whether a sample named {@code name} has all of {@code labels}. */
    boolean has(String name, Map<String, String> labels) {
        return !matching(name, labels).isEmpty();
    }

    /** How many samples are named {@code name} and have all of {@code labels}. */
    int samples(String name, Map<String, String> labels) {
        return matching(name, labels).size();
    }

    private List<Sample> matching(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                .toList();
    }
}
