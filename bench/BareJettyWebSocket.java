import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The baseline of bench/realtime.sh: Jetty 12's WebSocket core answering every text message at once with the JSON
 * Herald's echo action answers, with no parsing, no actions and no thread hop. Run with the distribution's jars:
 * java -cp '<herald>/bundle/*:<herald>/lib/slf4j-api-2.0.17.jar' bench/BareJettyWebSocket.java <port>
 */
public class BareJettyWebSocket {

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping("/ws", (request, response, callback) -> new FrameHandler() {
            private CoreSession session;
            private int id;

            @Override
            public void onOpen(CoreSession coreSession, Callback callback) {
                session = coreSession;
                callback.succeeded();
                session.sendFrame(new Frame(OpCode.TEXT, "{\"welcome\":\"bare\",\"context\":\"api\"}"), Callback.NOOP, false);
                session.demand();
            }

            @Override
            public void onFrame(Frame frame, Callback callback) {
                if (frame.getOpCode() == OpCode.TEXT) {
                    session.sendFrame(new Frame(OpCode.TEXT, "{\"message\":\"hello\",\"context\":\"response\",\"messageId\":"
                            + (++id) + "}"), Callback.NOOP, false);
                }
                callback.succeeded();
                if (frame.getOpCode() != OpCode.CLOSE) {
                    session.demand();
                }
            }

            @Override
            public void onError(Throwable cause, Callback callback) {
                callback.succeeded();
            }

            @Override
            public void onClosed(CloseStatus closeStatus, Callback callback) {
                callback.succeeded();
            }
        });
        server.setHandler(upgrade);
        server.start();
        System.out.println("bare websocket on " + connector.getLocalPort());
        server.join();
    }
}
