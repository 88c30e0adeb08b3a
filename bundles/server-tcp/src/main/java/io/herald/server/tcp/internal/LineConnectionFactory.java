package io.herald.server.tcp.internal;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;

/** Makes each accepted socket (or the decrypted side of a TLS one) a {@link TcpClientConnection}. */
final class LineConnectionFactory extends AbstractConnectionFactory {

    static final String PROTOCOL = "herald-tcp";

    private final TcpServer server;

    LineConnectionFactory(TcpServer server) {
        super(PROTOCOL);
        this.server = server;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(new TcpClientConnection(server, endPoint, connector.getByteBufferPool()), connector, endPoint);
    }
}
