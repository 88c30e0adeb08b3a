package io.herald.server.web.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One persistent HTTP/1.1 connection over a plain socket: requests are sent one after the other on the same connection
 * (what browsers and load balancers do), and each response is read to its {@code Content-Length}, so the test knows
 * exactly which connection carried which request and whether the server closed it.
 */
final class KeepAliveClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** A response read from the connection. */
    record Reply(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Whether the server said it closes the connection after this response. */
        boolean closes() {
            return "close".equalsIgnoreCase(header("Connection"));
        }
    }

    /** @throws java.net.ConnectException when nothing listens on the port */
    KeepAliveClient(int port) throws IOException {
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            // Far above any wait in these tests; a hung exchange fails the test instead of hanging it.
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends a GET for {@code pathAndQuery} and reads its response. */
    Reply get(String pathAndQuery) throws IOException {
        send("GET " + pathAndQuery + " HTTP/1.1\r\nHost: test\r\n\r\n", null);
        return read();
    }

    /** Sends a request without reading the response (for a request that stays in flight); {@link #read()} reads it. */
    void send(String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    /** Reads one response; {@link EOFException} when the server closed the connection before a whole one arrived. */
    Reply read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                    (a, b) -> a + "\n" + b);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the server closed the connection in the middle of a response");
        }
        return new Reply(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server has closed this connection (reads its end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new EOFException("the server closed the connection in the middle of a response");
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
