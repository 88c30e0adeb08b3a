package io.herald.launcher.internal;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Tells Jetty how many object references share a cache line, the figure it would work out itself, so that it does not
 * start the JVM's MBean server to work it out (issue 15).
 *
 * <p>Jetty pads its queues to a cache line ({@code org.eclipse.jetty.util.MemoryUtils}, jetty-util 12). Unless
 * {@value #PROPERTY} is set, that class's static initialiser asks the platform MBean server whether the JVM uses
 * compressed oops. Creating that server registers every platform MBean: about 230 more classes loaded by a node, and
 * 60 ms on its start path (the first {@code QueuedThreadPool}, the WebSocket server's), for one flag. The HotSpot
 * diagnostic bean answers the same question without it. An operator's {@code -D} of the property wins; on a JVM without
 * that bean the property stays unset and Jetty asks as before.
 */
final class JettyCacheLine {

    static final String PROPERTY = "org.eclipse.jetty.util.referencesPerCacheLine";
    /** Jetty's own property for the line's size, and its default. */
    static final String LINE_BYTES_PROPERTY = "org.eclipse.jetty.util.cacheLineBytes";
    static final int DEFAULT_LINE_BYTES = 64;

    private JettyCacheLine() {
    }

    /** Sets {@value #PROPERTY} for this JVM, unless it is set already. */
    static void setForThisJvm() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        Boolean compressedOops = compressedOops();
        if (compressedOops != null) {
            System.setProperty(PROPERTY, Integer.toString(
                    referencesPerLine(System.getProperty(LINE_BYTES_PROPERTY), compressedOops)));
        }
    }

    /**
     * Jetty's computation: a line's bytes ({@value #LINE_BYTES_PROPERTY}, {@value #DEFAULT_LINE_BYTES} when absent or
     * not a number) divided by a reference's size, 4 bytes with compressed oops, else 8.
     */
    static int referencesPerLine(String lineBytes, boolean compressedOops) {
        int bytes = DEFAULT_LINE_BYTES;
        if (lineBytes != null) {
            try {
                bytes = Integer.parseInt(lineBytes.trim());
            } catch (NumberFormatException e) {
                // Jetty ignores a value it cannot parse in the same way
            }
        }
        return compressedOops ? bytes >> 2 : bytes >> 3;
    }

    /** Whether this JVM compresses oops; null when it cannot say (no HotSpot diagnostic bean). */
    private static Boolean compressedOops() {
        try {
            HotSpotDiagnosticMXBean diagnostic = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return diagnostic == null ? null
                    : Boolean.valueOf(diagnostic.getVMOption("UseCompressedOops").getValue());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
