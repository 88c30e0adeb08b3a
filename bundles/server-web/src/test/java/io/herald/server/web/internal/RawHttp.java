package io.herald.server.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses to send (bad percent-encoding, chunked bodies of a
 * chosen shape) and for unix domain sockets. Each exchange uses its own connection and reads until the server closes.
 */
final class RawHttp {

    private RawHttp() {
    }

    record Reply(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Reply exchange(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            return exchange(socket.getOutputStream(), socket.getInputStream(), head, body);
        }
    }

    static Reply exchange(SocketChannel channel, String head, byte[] body) throws IOException {
        return exchange(Channels.newOutputStream(channel), Channels.newInputStream(channel), head, body);
    }

    private static Reply exchange(OutputStream out, InputStream in, String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A reset after the response was read is fine: the server closed a connection it will not reuse.
            if (received.size() == 0) {
                throw e;
            }
        }
        return parse(received.toString(StandardCharsets.UTF_8));
    }

    static Reply parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                    (a, b) -> a + "\n" + b);
        }
        return new Reply(status, headers, text.substring(end + 4));
    }
}
