import java.nio.file.Path;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The baseline of bench/static.sh: Jetty 12's own ResourceHandler in a ContextHandler serving a directory, with ETags,
 * and nothing else (no actions, no compression, no error JSON). Run with the distribution's Jetty jars:
 * java -cp '<herald>/bundle/*:<herald>/lib/slf4j-api-2.0.17.jar' bench/BareJettyFiles.java <port> <directory>
 */
public class BareJettyFiles {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setBaseResource(ResourceFactory.root().newResource(Path.of(args[1])));
        ResourceHandler files = new ResourceHandler();
        files.setEtags(true);
        files.setDirAllowed(false);
        context.setHandler(files);
        server.setHandler(context);
        server.start();
        System.out.println("bare jetty serving " + args[1] + " on " + port);
        server.join();
    }
}
