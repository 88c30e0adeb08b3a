package io.herald.server.web.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.jetty.util.InetAddressSet;

/**
 * The proxies whose {@code X-Forwarded-*} and {@code X-Real-IP} headers are believed: addresses and CIDR ranges
 * ({@code 10.0.0.0/8}, {@code ::1}), matched by Jetty's {@link InetAddressSet}. Actionhero believes those headers from
 * anyone, so any client can name its own address; here they count only when the connection comes from a listed proxy
 * or over a unix domain socket (a local proxy such as nginx's {@code proxy_pass http://unix:...}).
 */
final class TrustedProxies {

    /** Loopback: a proxy on the same host, the deployment guide's nginx. */
    static final List<String> DEFAULT = List.of("127.0.0.0/8", "::1");

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final InetAddressSet proxies = new InetAddressSet();
    private final List<String> entries;

    private TrustedProxies(List<String> entries) {
        this.entries = List.copyOf(entries);
        entries.forEach(proxies::add);
    }

    /**
     * @param entries IP addresses and CIDR ranges (literals only: a host name would need a DNS lookup per request)
     * @throws IllegalArgumentException naming the entry that is neither
     */
    static TrustedProxies of(List<String> entries) {
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            boolean prefixOk = slash < 0 || entry.substring(slash + 1).matches("\\d{1,3}")
                    && Integer.parseInt(entry.substring(slash + 1)) <= (address.indexOf(':') >= 0 ? 128 : 32);
            if (literal(address) == null || !prefixOk) {
                throw new IllegalArgumentException("\"" + entry + "\" is neither an IP address nor a CIDR range");
            }
        }
        return new TrustedProxies(entries);
    }

    List<String> entries() {
        return entries;
    }

    /** Whether {@code address} (a literal) is a listed proxy; false for anything that is no IP literal. */
    boolean trusts(String address) {
        InetAddress parsed = literal(address);
        return parsed != null && proxies.test(parsed);
    }

    boolean trusts(InetAddress address) {
        return address != null && proxies.test(address);
    }

    /**
     * An IP literal as an address, never by a DNS lookup: {@code null} for anything else (a host name, garbage, a
     * scoped IPv6 address).
     */
    static InetAddress literal(String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            // A literal, checked above: getByName parses it without asking DNS.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies t && t.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return String.join(", ", entries);
    }
}
