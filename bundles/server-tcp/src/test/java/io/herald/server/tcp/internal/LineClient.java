package io.herald.server.tcp.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.herald.core.json.HeraldJson;

/** A blocking test client of the line protocol on a real socket: writes lines, reads JSON lines. */
final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    LineClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        // Generous: a test fails on a missing line instead of hanging, and no assertion depends on it.
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Connects and reads the welcome line. */
    static LineClient connected(int port) throws IOException {
        LineClient client = new LineClient(port);
        Map<String, Object> welcome = client.read();
        if (!"api".equals(welcome.get("context")) || welcome.get("welcome") == null) {
            throw new IllegalStateException("no welcome line: " + welcome);
        }
        return client;
    }

    void write(String line) throws IOException {
        writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void writeBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a line and reads the next message. */
    Map<String, Object> call(String line) throws IOException {
        write(line);
        return read();
    }

    /** The next JSON line; fails when the server closed the connection. */
    @SuppressWarnings("unchecked")
    Map<String, Object> read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the server closed the connection");
        }
        return HeraldJson.mapper().readValue(line, Map.class);
    }

    /** The next raw line, or {@code null} at the end of the stream. */
    String readLine() throws IOException {
        return in.readLine();
    }

    /** Whether the server ends the stream (or resets it) before sending anything more. */
    boolean closedByServer() throws IOException {
        try {
            return in.readLine() == null;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
