package org.selfsup4j.examples;

/**
 * A mistake the user can fix (a bad option, a missing folder, an {@code --out} holding another run):
 * the command line prints its message as one line, {@code error: <message>}, and exits with
 * {@link #exitCode()} instead of a stack trace (see {@link ErrorHandler}).
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private UserError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * @param message one sentence naming the option, what it needs and what came
     * @return an error with {@link ErrorHandler#USAGE}
     */
    public static UserError usage(String message) {
        return new UserError(ErrorHandler.USAGE, message, null);
    }

    /**
     * @param message one sentence naming the file or folder and what is wrong with it
     * @param cause the reader's exception, or null
     * @return an error with {@link ErrorHandler#DATA}
     */
    public static UserError data(String message, Throwable cause) {
        return new UserError(ErrorHandler.DATA, message, cause);
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
