package io.herald.launcher.testbundle;

import java.io.PrintWriter;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

import io.herald.launcher.spi.Command;

/** A command packed into a generated bundle (LauncherCheckTest): prints what it was given; refuses {@code --fail}. */
public final class EchoCommand implements Command {

    private BundleContext context;

    /** Declarative Services' activate method (named in the generated descriptor). */
    public void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @Override
    public int run(List<String> args, PrintWriter out, PrintWriter err) {
        if (args.contains("--fail")) {
            err.println("refused " + args);
            err.println("and said why");
            return 3;
        }
        try {
            out.println("args=" + args + " " + Command.NAME + "=" + context.getProperty(Command.NAME) + " ready="
                    + (context.getServiceReferences("org.osgi.service.condition.Condition", "(osgi.condition.id=herald.ready)")
                            != null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
