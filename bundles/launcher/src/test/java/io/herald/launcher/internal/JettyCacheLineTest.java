package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;

import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JettyCacheLineTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(JettyCacheLine.PROPERTY);
        System.clearProperty(JettyCacheLine.LINE_BYTES_PROPERTY);
    }

    @Test
    void a_line_holds_four_byte_references_with_compressed_oops_and_eight_byte_ones_without() {
        assertEquals(16, JettyCacheLine.referencesPerLine(null, true));
        assertEquals(8, JettyCacheLine.referencesPerLine(null, false));
        assertEquals(32, JettyCacheLine.referencesPerLine("128", true));
        assertEquals(16, JettyCacheLine.referencesPerLine(" 128 ", false));
        assertEquals(16, JettyCacheLine.referencesPerLine("a lot", true));
    }

    @Test
    void sets_the_figure_jetty_would_ask_the_mbean_server_for() throws Exception {
        System.setProperty(JettyCacheLine.LINE_BYTES_PROPERTY, "128");
        JettyCacheLine.setForThisJvm();

        // what org.eclipse.jetty.util.MemoryUtils does when the property is unset
        CompositeData option = (CompositeData) ManagementFactory.getPlatformMBeanServer().invoke(
                ObjectName.getInstance("com.sun.management:type=HotSpotDiagnostic"), "getVMOption",
                new Object[] {"UseCompressedOops"}, new String[] {String.class.getName()});
        int expected = Boolean.parseBoolean((String) option.get("value")) ? 128 / 4 : 128 / 8;
        assertEquals(Integer.toString(expected), System.getProperty(JettyCacheLine.PROPERTY));
    }

    @Test
    void an_operators_value_is_kept() {
        System.setProperty(JettyCacheLine.PROPERTY, "3");
        JettyCacheLine.setForThisJvm();
        assertEquals("3", System.getProperty(JettyCacheLine.PROPERTY));
    }
}
