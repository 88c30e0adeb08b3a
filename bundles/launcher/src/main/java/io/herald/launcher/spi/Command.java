package io.herald.launcher.spi;

import java.io.PrintWriter;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A command of {@code bin/herald} that a bundle provides, registered as a service with {@link #NAME}, as Actionhero's
 * CLI commands ({@code actionhero task enqueue}) are: for {@code herald task enqueue --name sendMail}, the launcher
 * starts the role headless (a data directory of its own; {@code deploy/} deployed; the node never declared ready, so
 * no server opens and no worker or scheduler runs), waits for the {@code Command} whose name is the longest match of
 * the leading words ({@code task enqueue}), runs it once on the rest ({@code --name sendMail}) and exits with its code.
 *
 * <p>While it runs, the framework property {@value #NAME} holds the leading words: a bundle leaves out what it would
 * share with a cluster (a member announcing itself on the cluster bus) for a process that runs one command and exits.
 *
 * @since 1.1
 */
@ConsumerType
public interface Command {

    /**
     * The service property naming the command: its words, separated by single spaces ({@code task enqueue}); also the
     * framework property that marks a node running a command (see above).
     */
    String NAME = "herald.command";

    /**
     * Runs the command once.
     *
     * @param args the command line after the command's name, in order, without the launcher's own options
     *             ({@code --role}, {@code --env}, {@code --config}, {@code --title})
     * @param out  what the command prints as its result
     * @param err  one line per problem, without a prefix: the launcher prints each as {@code herald: <name>: <line>}
     * @return the process exit code: 0 success, 1 the command was refused (bad arguments, nothing done), another
     *     value for other failures
     * @throws InterruptedException when the process is stopping while the command waits
     */
    int run(List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException;
}
