package io.herald.server.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.Connection;
import io.herald.api.RequestMetadata;
import io.herald.api.spi.ClientChannel;
import io.herald.api.spi.ConnectionRegistry;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.TransportConnection;
import io.herald.core.json.HeraldJson;

/**
 * One client of the TCP server, on Jetty's NIO machinery: no thread waits for its bytes. Reads lines
 * ({@link LineReader}) and hands them to the {@link LineProtocol}; answers and pushed messages go through a bounded
 * outgoing queue written one batch at a time.
 *
 * <p>Closing: the last message is queued, the output is shut once the queue is written (the client reads it, then the
 * end of the stream), and the rest of what the client sends is read and discarded for a while before the socket
 * closes, so a client still writing (a line over the limit) reads the error instead of a connection reset. A client
 * that does not read is cut off after {@link #LINGER_MILLIS}.
 */
final class TcpClientConnection extends AbstractConnection implements ClientChannel, ClientLink {

    private static final Logger LOG = LoggerFactory.getLogger(TcpClientConnection.class);

    /** How long a closing connection may take to write its last messages and let the client read them. */
    static final long LINGER_MILLIS = 2000;
    /** The most bytes read and discarded from a client after its connection started closing. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private static final int BATCH = 16;

    private final TcpServer server;
    private final TcpSettings settings;
    private final TcpServices services;
    private final ByteBufferPool pool;
    private final TransportConnection connection;
    private final LineProtocol protocol;
    private final LineReader reader;
    private final MessageRate rate;
    private final Outbox outbox = new Outbox();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean inputEnded;
    private volatile boolean admitted;
    private final AtomicBoolean readStarted = new AtomicBoolean();
    private volatile ConnectionRegistry registeredWith;
    private long drained;

    TcpClientConnection(TcpServer server, EndPoint endPoint, ByteBufferPool pool) {
        super(endPoint, server.executor());
        this.server = server;
        this.settings = server.settings();
        this.services = server.services();
        this.pool = pool;
        String id = UUID.randomUUID().toString();
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        String ip = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "0.0.0.0";
        int port = remote instanceof InetSocketAddress inet ? inet.getPort() : 0;
        connection = TransportConnection.stateful(id, Connection.TCP, ip, port, id, this, RequestMetadata.none());
        protocol = new LineProtocol(this, services);
        reader = new LineReader(settings.maxLineLength());
        rate = new MessageRate(settings.maxMessagesPerSecond());
    }

    @Override
    public void onOpen() {
        super.onOpen();
        if (!server.admit(this)) {
            closeWith(apiError(services.format(HeraldError.TOO_MANY_CONNECTIONS, settings.maxConnections())));
            return;
        }
        admitted = true;
        try {
            getExecutor().execute(this::announce);
        } catch (RejectedExecutionException e) {
            closeWith(apiError(services.format(HeraldError.SERVER_SHUTTING_DOWN)));
        }
    }

    /** Announces the connection to the core (its connection middleware may refuse it), then welcomes the client. */
    private void announce() {
        ConnectionRegistry registry = services.registry().get();
        if (registry != null) {
            try {
                registry.opened(connection);
                registeredWith = registry;
            } catch (Exception refused) {
                String reason = refused.getMessage();
                if (reason == null || reason.isBlank()) {
                    String reference = UUID.randomUUID().toString().substring(0, 8);
                    LOG.warn("tcp connection {} refused without a reason (reference {})", connection.id(), reference, refused);
                    reason = services.format(HeraldError.INTERNAL_ERROR, reference);
                }
                closeWith(apiError(reason));
                return;
            }
        }
        send(LineProtocol.welcome());
        startReading();
    }

    private void startReading() {
        if (readStarted.compareAndSet(false, true)) {
            fillInterested();
        }
    }

    @Override
    public void onFillable() {
        RetainableByteBuffer buffer = pool.acquire(getInputBufferSize(), false);
        try {
            ByteBuffer bytes = buffer.getByteBuffer();
            while (getEndPoint().isOpen()) {
                BufferUtil.clear(bytes);
                int filled = getEndPoint().fill(bytes);
                if (filled == 0) {
                    fillInterested();
                    return;
                }
                if (filled < 0) {
                    inputEnded();
                    return;
                }
                consume(bytes);
            }
        } catch (IOException e) {
            getEndPoint().close(e);
        } finally {
            buffer.release();
        }
    }

    private void consume(ByteBuffer bytes) {
        if (closing.get()) {
            drained += bytes.remaining();
            if (drained > DRAIN_LIMIT) {
                getEndPoint().close();
            }
            return;
        }
        LineReader.Result result = reader.read(bytes, this::line);
        if (result == LineReader.Result.TOO_LONG) {
            closeWith(apiError(services.format(HeraldError.MESSAGE_TOO_LONG, settings.maxLineLength())));
        }
        if (closing.get()) {
            drained += bytes.remaining();
        }
    }

    private boolean line(byte[] bytes, int length) {
        switch (rate.count(System.nanoTime())) {
            case ACCEPT -> protocol.handle(bytes, length);
            case REFUSE_AND_TELL -> send(LineProtocol.error(services.format(HeraldError.TOO_MANY_MESSAGES,
                    settings.maxMessagesPerSecond()), null));
            case REFUSE -> {
                // told once this second already
            }
            case CLOSE -> closeWith(apiError(services.format(HeraldError.TOO_MANY_MESSAGES, settings.maxMessagesPerSecond())));
        }
        return !closing.get();
    }

    /** The client shut its output: finish what it asked for, then close (Actionhero destroys the connection on end). */
    private void inputEnded() {
        inputEnded = true;
        if (closing.get()) {
            if (outbox.finished()) {
                getEndPoint().close();
            }
        } else if (inFlight.get() == 0) {
            closeWith(null);
        }
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        // A closing connection is closed by its linger timer, after its last message had the time to reach the client.
        if (closing.get() || inFlight.get() > 0) {
            return false;
        }
        closeWith(apiError(services.format(HeraldError.IDLE_TIMEOUT, settings.idleTimeoutMillis())));
        return false;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        closing.set(true);
        outbox.abort(cause != null ? cause : new IOException("closed"));
        if (admitted) {
            server.release(this);
        }
        ConnectionRegistry registry = registeredWith;
        if (registry != null) {
            registeredWith = null;
            try {
                registry.closed(connection);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("tcp connection {}: the connection registry failed on close", connection.id(), e);
            }
        }
    }

    // ClientLink

    @Override
    public TransportConnection connection() {
        return connection;
    }

    @Override
    public void send(Map<String, Object> message) {
        send((Object) message);
    }

    @Override
    public void closeWith(Map<String, Object> lastMessage) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (lastMessage != null) {
            ByteBuffer line = encode(lastMessage);
            if (line != null) {
                outbox.queue.add(line);
                outbox.pending.incrementAndGet();
            }
        }
        outbox.finishing = true;
        outbox.iterate();
        server.scheduler().schedule(() -> getEndPoint().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void runAction(Runnable task) {
        inFlight.incrementAndGet();
        try {
            server.executor().execute(() -> {
                try {
                    task.run();
                } finally {
                    actionDone();
                }
            });
        } catch (RejectedExecutionException e) {
            actionDone();
            send(LineProtocol.error(services.format(HeraldError.SERVER_SHUTTING_DOWN), null));
        }
    }

    private void actionDone() {
        if (inFlight.decrementAndGet() == 0 && inputEnded && !closing.get()) {
            closeWith(null);
        }
        server.actionDone();
    }

    @Override
    public boolean stopping() {
        return server.stopping();
    }

    // ClientChannel

    /** Queues a message; a client that lets more than maxPendingMessages wait is closed (a slow consumer). */
    @Override
    public boolean send(Object message) {
        if (closing.get()) {
            return false;
        }
        ByteBuffer line = encode(message);
        if (line == null) {
            return false;
        }
        if (outbox.pending.incrementAndGet() > settings.maxPendingMessages()) {
            outbox.pending.decrementAndGet();
            LOG.info("tcp connection {} from {} closed: a slow consumer, more than {} messages waiting", connection.id(),
                    connection.remoteIp(), settings.maxPendingMessages());
            closeWith(apiError(services.format(HeraldError.SLOW_CONSUMER, settings.maxPendingMessages())));
            return false;
        }
        outbox.queue.add(line);
        outbox.iterate();
        return true;
    }

    @Override
    public void close(String reason) {
        closeWith(reason == null ? null : apiError(reason));
    }

    /** Actions running for this connection now. */
    int inFlight() {
        return inFlight.get();
    }

    boolean isClosing() {
        return closing.get();
    }

    private ByteBuffer encode(Object message) {
        try {
            byte[] json = HeraldJson.mapper().writeValueAsBytes(message);
            ByteBuffer line = ByteBuffer.allocate(json.length + 1);
            line.put(json).put((byte) '\n').flip();
            return line;
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("tcp connection {}: a message cannot be written as JSON and is dropped: {}", connection.id(), e.toString());
            return null;
        }
    }

    /** A message of the server rather than an answer: {@code {"error": ..., "context": "api"}}. */
    private static Map<String, Object> apiError(String message) {
        Map<String, Object> error = LineProtocol.error(message, null);
        error.put("context", "api");
        return error;
    }

    /** The outgoing queue: writes what is queued, a batch at a time, and shuts the output once a close drained it. */
    private final class Outbox extends IteratingCallback {

        final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger pending = new AtomicInteger();
        volatile boolean finishing;
        private final AtomicBoolean outputShut = new AtomicBoolean();
        private int writing;

        @Override
        protected Action process() {
            ByteBuffer[] batch = new ByteBuffer[BATCH];
            int count = 0;
            ByteBuffer next;
            while (count < BATCH && (next = queue.poll()) != null) {
                batch[count++] = next;
            }
            if (count == 0) {
                if (finishing && outputShut.compareAndSet(false, true)) {
                    getEndPoint().shutdownOutput();
                    if (inputEnded) {
                        getEndPoint().close();
                    } else {
                        // Read and discard what the client still sends until it closes (see the class comment); a
                        // connection refused before it was read from starts reading now.
                        startReading();
                    }
                }
                return Action.IDLE;
            }
            writing = count;
            getEndPoint().write(this, count == BATCH ? batch : java.util.Arrays.copyOf(batch, count));
            return Action.SCHEDULED;
        }

        @Override
        protected void onSuccess() {
            pending.addAndGet(-writing);
            writing = 0;
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            getEndPoint().close(cause);
        }

        boolean finished() {
            return outputShut.get();
        }
    }
}
