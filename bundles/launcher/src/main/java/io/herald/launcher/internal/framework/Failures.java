package io.herald.launcher.internal.framework;

/** Framework exceptions in one line, for the operator. */
public final class Failures {

    private Failures() {
    }

    /** The framework's message without its repeated tail, plus the root cause for activator failures. */
    public static String describe(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int tail = message.indexOf(" Unresolved requirements:");
        if (tail > 0) {
            message = message.substring(0, tail);
        }
        Throwable cause = error.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != null) {
            message += " (" + cause.getClass().getName() + ": " + cause.getMessage() + ")";
        }
        return message;
    }
}
