package io.herald.launcher.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Hashtable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;
import org.osgi.service.log.LoggerFactory;

/**
 * The OSGi Log Service, written to slf4j (and so to logback and {@code log/herald.log}).
 *
 * <p>Without a log service, SCR, ConfigAdmin and FileInstall print to stdout/stderr: a component that fails
 * during a hot deploy, or a bundle in deploy/ that does not resolve, would show on the console but never in the
 * log file. The system bundle exports {@code org.osgi.service.log} from the launcher's class path and this
 * service is registered before any bundle starts.
 *
 * <p>Logger names: {@link LoggerFactory#getLogger(String)} names are used as-is; a bundle's {@code ROOT} logger
 * and the old {@code log(...)} methods log under the bundle's symbolic name (SCR: {@code org.apache.felix.scr},
 * FileInstall: {@code org.apache.felix.fileinstall}).
 */
final class Slf4jLogService implements LogService {

    /**
     * While the launcher brings a role up it reports every failure itself, in one line each on stderr; the stack traces
     * SCR logs with them (a failed activation logs twice, 100 lines each) then go to DEBUG, and the log line keeps the
     * exception's own message. Afterwards (hot deploys, config edits) they are logged in full.
     */
    private static volatile boolean startingUp = true;

    private final String bundleName;

    /** The start has been verified: stack traces are logged in full again. */
    static void startupOver() {
        quietStackTraces(false);
    }

    static void quietStackTraces(boolean quiet) {
        startingUp = quiet;
    }

    /**
     * The throwable to log with a message at {@code level}: none while starting up (then its text joins the message
     * and the whole trace goes to DEBUG).
     */
    private static Throwable traceFor(org.slf4j.Logger log, String text, Throwable thrown) {
        if (thrown == null || !startingUp) {
            return thrown;
        }
        log.debug(text, thrown);
        return null;
    }

    Slf4jLogService(String bundleName) {
        this.bundleName = bundleName;
    }

    /** Registers the service (one instance per using bundle) from the system bundle. */
    static ServiceRegistration<?> register(BundleContext systemContext) {
        ServiceFactory<Object> factory = new ServiceFactory<>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return new Slf4jLogService(bundle.getSymbolicName());
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                // stateless
            }
        };
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_DESCRIPTION, "Herald launcher: OSGi log service written to slf4j");
        return systemContext.registerService(
                new String[] {LogService.class.getName(), LoggerFactory.class.getName()}, factory, properties);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(int level, String message) {
        log(null, level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(int level, String message, Throwable exception) {
        log(null, level, message, exception);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> reference, int level, String message) {
        log(reference, level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> reference, int level, String message, Throwable exception) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(bundleName == null ? "osgi" : bundleName);
        String text = reference == null ? message : message + " [" + reference + "]";
        Throwable trace = traceFor(log, text, exception);
        if (trace == null && exception != null) {
            text += ": " + exception;
            exception = null;
        }
        switch (level) {
            case LogService.LOG_ERROR -> log.error(text, exception);
            case LogService.LOG_WARNING -> log.warn(text, exception);
            case LogService.LOG_INFO -> log.info(text, exception);
            default -> log.debug(text, exception);
        }
    }

    @Override
    public Logger getLogger(String name) {
        return getLogger(name, Logger.class);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(clazz.getName(), Logger.class);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return newLogger(name, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return newLogger(clazz.getName(), loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        // A bundle's ROOT logger is that bundle's logger (OSGi Log 1.4): name it after the bundle, since "ROOT"
        // is logback's root and would hide who logged.
        boolean root = Logger.ROOT_LOGGER_NAME.equals(name) && bundle != null && bundle.getSymbolicName() != null;
        return newLogger(root ? bundle.getSymbolicName() : name, loggerType);
    }

    private static <L extends Logger> L newLogger(String name, Class<L> loggerType) {
        if (loggerType != Logger.class && loggerType != FormatterLogger.class) {
            throw new IllegalArgumentException("unsupported logger type " + loggerType.getName());
        }
        org.slf4j.Logger target = org.slf4j.LoggerFactory.getLogger(name);
        boolean printf = loggerType == FormatterLogger.class;
        return loggerType.cast(Proxy.newProxyInstance(Slf4jLogService.class.getClassLoader(),
                new Class<?>[] {loggerType}, new LoggerHandler(target, printf)));
    }

    /**
     * The ~40 methods of the OSGi {@code Logger} mapped onto slf4j: {@code trace..error(format, args...)} keep
     * slf4j's {@code {}} placeholders (the OSGi syntax is the same, a trailing Throwable included); a
     * FormatterLogger formats with {@link String#format}; {@code audit} is logged at INFO.
     */
    private record LoggerHandler(org.slf4j.Logger target, boolean printf) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Exception {
            String name = method.getName();
            switch (name) {
                case "getName":
                    return target.getName();
                case "toString":
                    return "OSGi logger " + target.getName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            if (name.startsWith("is") && name.endsWith("Enabled")) {
                return enabled(name.substring(2, name.length() - "Enabled".length()).toLowerCase());
            }
            if (args != null && args.length == 1 && args[0] instanceof LoggerConsumer<?> consumer) {
                if (enabled(name)) {
                    acceptUnchecked(consumer, (Logger) proxy);
                }
                return null;
            }
            if (args == null || args.length == 0 || !(args[0] instanceof String format)) {
                return null;
            }
            Object[] parameters = flatten(Arrays.copyOfRange(args, 1, args.length), method.isVarArgs());
            write(name, format, parameters);
            return null;
        }

        private static int placeholders(String format) {
            int count = 0;
            for (int i = format.indexOf("{}"); i >= 0; i = format.indexOf("{}", i + 2)) {
                count++;
            }
            return count;
        }

        @SuppressWarnings("unchecked")
        private static <E extends Exception> void acceptUnchecked(LoggerConsumer<?> consumer, Logger logger) throws E {
            ((LoggerConsumer<E>) consumer).accept(logger);
        }

        private static Object[] flatten(Object[] rest, boolean varArgs) {
            if (varArgs && rest.length == 1 && rest[0] instanceof Object[] array) {
                return array;
            }
            return rest;
        }

        private boolean enabled(String level) {
            return switch (level) {
                case "trace" -> target.isTraceEnabled();
                case "debug" -> target.isDebugEnabled();
                case "warn" -> target.isWarnEnabled();
                case "error" -> target.isErrorEnabled();
                default -> target.isInfoEnabled(); // info, audit
            };
        }

        private void write(String level, String format, Object[] parameters) {
            if (!enabled(level)) {
                return;
            }
            Throwable thrown = null;
            Object[] values = parameters;
            if (printf) {
                if (values.length > 0 && values[values.length - 1] instanceof Throwable t) {
                    thrown = t;
                    values = Arrays.copyOf(values, values.length - 1);
                }
                // The formatted text goes in as an argument, so slf4j does not read "{}" in it as a placeholder.
                String message = String.format(format, values);
                format = "{}";
                values = thrown == null ? new Object[] {message} : new Object[] {message, thrown};
            }
            if (startingUp && values.length > placeholders(format) && values[values.length - 1] instanceof Throwable last
                    && !level.equals("debug") && !level.equals("trace")) {
                // slf4j's rule: a last argument without a placeholder is the exception. Keep its text, not its trace.
                traceFor(target, org.slf4j.helpers.MessageFormatter.arrayFormat(format,
                        Arrays.copyOf(values, values.length - 1)).getMessage(), last);
                values = Arrays.copyOf(values, values.length);
                values[values.length - 1] = last.toString();
                format = format + ": {}";
            }
            switch (level) {
                case "trace" -> target.trace(format, values);
                case "debug" -> target.debug(format, values);
                case "warn" -> target.warn(format, values);
                case "error" -> target.error(format, values);
                default -> target.info(format, values);
            }
        }
    }
}
