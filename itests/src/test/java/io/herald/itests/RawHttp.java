package io.herald.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 over a raw socket, for requests no HTTP client would send: exact bytes out, the answer parsed by hand. */
final class RawHttp {

    /** A response as read: status (-1 when the server closed without one), headers' text, body. */
    record Answer(int status, String head, String body) {

        boolean closedWithoutAnswer() {
            return status < 0;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} on a new connection and reads one response (or the close). */
    static Answer exchange(int port, byte[] request, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    static Answer exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), 15_000);
    }

    /** Reads one response: the head up to the blank line, then Content-Length bytes of body (or up to the close). */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        try {
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                matched = (b == '\r' || b == '\n') && (matched % 2 == 0 ? b == '\r' : b == '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete answer within the timeout; read: " + head.toString(StandardCharsets.ISO_8859_1), e);
        } catch (IOException reset) {
            if (head.size() == 0) {
                return new Answer(-1, "", "");
            }
            throw reset;
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        if (matched < 4) {
            if (headText.isEmpty()) {
                return new Answer(-1, "", "");
            }
            throw new IOException("the connection closed in the middle of a response head: " + headText);
        }
        int status = Integer.parseInt(headText.substring(9, 12));
        int length = -1;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        return new Answer(status, headText, new String(body, StandardCharsets.UTF_8));
    }
}
