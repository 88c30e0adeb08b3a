package io.herald.launcher.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * When a bundle is worth installing, as it declares it in its manifest:
 * {@code Herald-Install-When: <pid>;filter:="<LDAP filter>"}. The bundle is needed once a staged configuration of
 * {@code <pid>} (a PID, or a factory PID whose configurations are staged as {@code <pid>-<name>}) matches the filter.
 * The filter sees a configuration as a component would: its values, with blank ones left out (an unset
 * {@code ${env:X:-}} stages an empty value, which a component reads as unset), plus {@code service.pid} and, for a
 * factory configuration, {@code service.factoryPid}.
 *
 * @param pid    the PID or factory PID whose configurations are matched
 * @param filter the filter a configuration must match
 */
record InstallRule(String pid, Filter filter) {

    static final String HEADER = "Herald-Install-When";

    private static final Pattern CLAUSE = Pattern.compile("\\s*([^;\\s]+)\\s*;\\s*filter:=\\s*\"([^\"]*)\"\\s*");

    /**
     * @param where names the header's bundle in the error
     * @throws ConfigException when the header is not {@code <pid>;filter:="<filter>"} with a valid filter
     */
    static InstallRule parse(String header, String where) throws ConfigException {
        Matcher clause = CLAUSE.matcher(header);
        if (!clause.matches()) {
            throw new ConfigException(where + ": " + HEADER + " '" + header + "' is not <pid>;filter:=\"<filter>\"");
        }
        try {
            return new InstallRule(clause.group(1), FrameworkUtil.createFilter(clause.group(2)));
        } catch (InvalidSyntaxException e) {
            throw new ConfigException(where + ": " + HEADER + " has an invalid filter: " + e.getMessage(), e);
        }
    }

    /**
     * @param staged the staged values by staged name ({@link ConfigStager#stagedValues()})
     * @return the first staged configuration of {@link #pid} that matches, by its staged name, or null
     */
    String matchedBy(Map<String, Map<String, String>> staged) {
        for (Map.Entry<String, Map<String, String>> entry : staged.entrySet()) {
            String name = entry.getKey();
            boolean factory = name.startsWith(pid + "-");
            if (!factory && !name.equals(pid)) {
                continue;
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            entry.getValue().forEach((key, value) -> {
                if (!value.isBlank()) {
                    properties.put(key, value);
                }
            });
            if (factory) {
                properties.put("service.factoryPid", pid);
                properties.put("service.pid", pid + "~" + name.substring(pid.length() + 1));
            } else {
                properties.put("service.pid", pid);
            }
            if (filter.matches(properties)) {
                return name;
            }
        }
        return null;
    }
}
