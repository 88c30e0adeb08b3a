package io.herald.testing.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RESP2 client over one socket (plain, or TLS for a {@link RedisServer.Builder#tls() TLS server}), for checks and admin commands in tests ({@code PING}, {@code INFO},
 * {@code SENTINEL ...}, {@code CLUSTER ...}, {@code DEBUG SLEEP}, {@code SET}/{@code GET}): not a Redis client for
 * production code. Replies map to Java as: simple and bulk strings to {@link String} (UTF-8), integers to
 * {@link Long}, arrays to {@code List<Object>}, nil to {@code null}; error replies throw {@link RespException}.
 * I/O failures (refused, reset, timed out) throw {@link UncheckedIOException}.
 *
 * <pre>{@code
 * try (RespClient redis = RespClient.connect(server.address(), server.password())) {
 *     redis.call("SET", "greeting", "hello");
 *     assertEquals("hello", redis.call("GET", "greeting"));
 * }
 * }</pre>
 *
 * Not thread-safe: one client per thread.
 *
 * @since 1.0
 */
public final class RespClient implements AutoCloseable {

    /** Connect and reply timeout of {@link #connect(RedisAddress)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final RedisAddress address;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(RedisAddress address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects without a password, with {@link #DEFAULT_TIMEOUT}. */
    public static RespClient connect(RedisAddress address) {
        return connect(address, null, DEFAULT_TIMEOUT);
    }

    /** Connects and, when {@code password} is not null, authenticates with {@code AUTH}. */
    public static RespClient connect(RedisAddress address, String password) {
        return connect(address, password, DEFAULT_TIMEOUT);
    }

    /**
     * Connects and, when {@code password} is not null, authenticates with {@code AUTH}. {@code timeout} bounds the
     * connect and every reply: give a long one for {@code DEBUG SLEEP}.
     */
    public static RespClient connect(RedisAddress address, String password, Duration timeout) {
        return connect(address, password, timeout, null);
    }

    /**
     * Connects over TLS when {@code tls} is not null (e.g. {@link TlsFiles#socketFactory()}; the TLS handshake is
     * done before this returns), then authenticates as {@link #connect(RedisAddress, String, Duration)} does.
     *
     * @since 1.1
     */
    public static RespClient connect(RedisAddress address, String password, Duration timeout, SSLSocketFactory tls) {
        Socket socket = new Socket();
        try {
            int millis = Math.toIntExact(timeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis);
            socket.connect(new InetSocketAddress(address.host(), address.port()), millis);
            if (tls != null) {
                SSLSocket secured = (SSLSocket) tls.createSocket(socket, address.host(), address.port(), true);
                secured.startHandshake();
                socket = secured;
            }
            RespClient client = new RespClient(address, socket);
            if (password != null) {
                client.call("AUTH", password);
            }
            return client;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot talk to Redis at " + address + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** The address this client is connected to. */
    public RedisAddress address() {
        return address;
    }

    /** Sends one command and returns its reply (see the class comment for the mapping). */
    public Object call(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        try {
            writeCommand(command);
            return readReply();
        } catch (IOException e) {
            throw new UncheckedIOException(address + " " + command[0] + ": " + e.getMessage(), e);
        }
    }

    /** Sends a command whose reply is a string or nil. */
    public String callString(String... command) {
        Object reply = call(command);
        if (reply == null || reply instanceof String) {
            return (String) reply;
        }
        throw new IllegalStateException(command[0] + " replied " + reply + ", not a string");
    }

    /** Sends a command whose reply is an integer. */
    public long callLong(String... command) {
        Object reply = call(command);
        if (reply instanceof Long value) {
            return value;
        }
        throw new IllegalStateException(command[0] + " replied " + reply + ", not an integer");
    }

    /** Sends a command whose reply is an array (nil gives an empty list). */
    @SuppressWarnings("unchecked")
    public List<Object> callList(String... command) {
        Object reply = call(command);
        if (reply == null) {
            return List.of();
        }
        if (reply instanceof List<?>) {
            return (List<Object>) reply;
        }
        throw new IllegalStateException(command[0] + " replied " + reply + ", not an array");
    }

    /**
     * Sends a command whose reply is a flat array of field/value pairs, as {@code SENTINEL MASTER} and
     * {@code CONFIG GET} reply in RESP2, and returns it as an ordered map.
     */
    public Map<String, String> callMap(String... command) {
        return pairs(callList(command));
    }

    /** {@code PING}: {@code "PONG"} from a live server or sentinel. */
    public String ping() {
        return callString("PING");
    }

    /** {@code INFO [section]} parsed into its {@code field:value} lines, in order. */
    public Map<String, String> info(String... section) {
        String[] command = new String[section.length + 1];
        command[0] = "INFO";
        System.arraycopy(section, 0, command, 1, section.length);
        return parseInfo(callString(command));
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    /** Parses {@code INFO} or {@code CLUSTER INFO} text: {@code field:value} lines; comments and blanks skipped. */
    public static Map<String, String> parseInfo(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (text == null) {
            return fields;
        }
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return fields;
    }

    /** Turns a flat {@code [field, value, field, value, ...]} reply into an ordered map. */
    public static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(String.valueOf(flat.get(i)), flat.get(i + 1) == null ? null : String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    private void writeCommand(String[] command) throws IOException {
        // a command is always sent as an array of bulk strings, the one form every Redis version accepts
        writeLine("*" + command.length);
        for (String argument : command) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            writeLine("$" + bytes.length);
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private void writeLine(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    private Object readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RespException(line);
            case ':':
                return Long.parseLong(line);
            case '$':
                return readBulk(Integer.parseInt(line));
            case '*':
                return readArray(Integer.parseInt(line));
            default:
                throw new IOException("not a RESP2 reply: '" + (char) type + line + "'");
        }
    }

    private String readBulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("bulk string cut short");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private List<Object> readArray(int size) throws IOException {
        if (size < 0) {
            return null;
        }
        List<Object> elements = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            try {
                elements.add(readReply());
            } catch (RespException e) {
                // an error inside an array (EXEC) is a value of that array, not a failure of the whole reply
                elements.add(e);
            }
        }
        return Collections.unmodifiableList(elements);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a reply");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR without LF in a reply");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
