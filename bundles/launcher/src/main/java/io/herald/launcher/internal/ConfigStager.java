package io.herald.launcher.internal;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Turns the user's config directories into the one directory FileInstall watches.
 *
 * <p>For each PID the effective config is built key by key, later sources winning:
 * {@code dir1/<pid>.cfg}, {@code dir1/<env>/<pid>.cfg}, {@code dir2/<pid>.cfg}, ... This is Actionhero's
 * per-environment config merge, done at the granularity FileInstall understands. When no file gives a PID,
 * the defaults (feature {@code <config>} blocks, the deploy watcher) are used. Values are expanded by the
 * {@link Interpolator} after merging, so only the value that wins must resolve, and each error names the
 * file that gave it.
 *
 * <p>Staged files are rewritten only when their content changes (a rewrite makes ConfigAdmin update the
 * component), written through a temporary name FileInstall ignores, and removed when their source goes.
 */
final class ConfigStager {

    static final String CFG = ".cfg";

    private volatile List<Path> configDirs;
    private final String environment;
    private final Map<String, Map<String, String>> defaults;
    private final Interpolator interpolator;
    private final Path stagedDir;
    private volatile Supplier<MetatypeCatalog> metatype = () -> MetatypeCatalog.EMPTY;
    private Map<Path, Long> lastFingerprint = Map.of();
    private Map<String, Map<String, String>> lastStaged = Map.of();
    private Map<String, Map<String, String>> lastOrigins = Map.of();

    /**
     * @param defaults per PID, used only when no config file gives that PID; values are expanded too
     */
    ConfigStager(List<Path> configDirs, String environment, Map<String, Map<String, String>> defaults,
            Interpolator interpolator, Path stagedDir) {
        this.configDirs = List.copyOf(configDirs);
        this.environment = environment;
        this.defaults = new LinkedHashMap<>(defaults);
        this.interpolator = interpolator;
        this.stagedDir = stagedDir;
    }

    Path stagedDir() {
        return stagedDir;
    }

    /**
     * From the next {@link #stage()} on, checks (and normalises) every value against what the bundles declare
     * ({@link MetatypeCatalog}); read again at each stage, since bundles come and go.
     */
    void checkAgainst(Supplier<MetatypeCatalog> catalog) {
        this.metatype = catalog;
    }

    /** Replaces the config directories for the next {@link #stage()} (a USR2 reload onto a new release). */
    synchronized void sources(List<Path> next) {
        this.configDirs = List.copyOf(next);
    }

    /**
     * Computes the effective config and brings the staged directory in line with it.
     *
     * @return the staged PIDs (file names without {@code .cfg})
     * @throws ConfigException when a file cannot be parsed or a value cannot be expanded; nothing is written then
     */
    synchronized Set<String> stage() throws ConfigException, IOException {
        Map<Path, Long> fingerprint = fingerprint();
        Map<String, StagedPid> effective = effectiveConfig();
        Map<String, String> contents = render(effective);
        Files.createDirectories(stagedDir);
        for (Map.Entry<String, String> entry : contents.entrySet()) {
            writeIfChanged(stagedDir.resolve(entry.getKey() + CFG), entry.getValue());
        }
        removeStale(contents.keySet());
        lastFingerprint = fingerprint;
        Map<String, Map<String, String>> values = new TreeMap<>();
        Map<String, Map<String, String>> origins = new TreeMap<>();
        effective.forEach((pid, staged) -> {
            values.put(pid, Map.copyOf(staged.values()));
            origins.put(pid, Map.copyOf(staged.origins()));
        });
        lastStaged = Collections.unmodifiableMap(values);
        lastOrigins = origins;
        return new TreeSet<>(contents.keySet());
    }

    /**
     * The expanded values per PID the sources give now, as {@link #stage()} would stage them, without writing anything
     * (the launcher decides which bundles to install from them before it stages).
     *
     * @throws ConfigException as {@link #stage()} does
     */
    synchronized Map<String, Map<String, String>> preview() throws ConfigException, IOException {
        Map<String, Map<String, String>> values = new TreeMap<>();
        effectiveConfig().forEach((pid, staged) -> values.put(pid, Map.copyOf(staged.values())));
        return Collections.unmodifiableMap(values);
    }

    /** The expanded values per PID that the last successful {@link #stage()} wrote; empty before the first. */
    synchronized Map<String, Map<String, String>> stagedValues() {
        return lastStaged;
    }

    /** The directories the sources are read from: each config directory and its environment's, existing or not. */
    List<Path> sourceDirs() {
        List<Path> dirs = new ArrayList<>();
        for (Path dir : configDirs) {
            dirs.add(dir);
            dirs.add(dir.resolve(environment));
        }
        return dirs;
    }

    /** True when a {@code .cfg} source appeared, disappeared or changed since the last {@link #stage()}. */
    synchronized boolean sourcesChanged() throws IOException {
        return !fingerprint().equals(lastFingerprint);
    }

    /** The merged and expanded values per PID, in a stable order. Package-private for tests. */
    Map<String, StagedPid> effectiveConfig() throws ConfigException, IOException {
        Map<String, Layered> merged = new TreeMap<>();
        for (Path level : sourceDirs()) {
            mergeDirectory(level, merged);
        }
        MetatypeCatalog catalog = metatype.get();
        Map<String, StagedPid> result = new TreeMap<>();
        for (Map.Entry<String, Layered> entry : merged.entrySet()) {
            result.put(entry.getKey(), entry.getValue().expand(entry.getKey(), interpolator, catalog));
        }
        for (Map.Entry<String, Map<String, String>> entry : defaults.entrySet()) {
            if (!result.containsKey(entry.getKey())) {
                Layered layered = new Layered();
                layered.add(entry.getValue(), "default config for " + entry.getKey());
                result.put(entry.getKey(), layered.expand(entry.getKey(), interpolator, catalog));
            }
        }
        return result;
    }

    private void mergeDirectory(Path dir, Map<String, Layered> merged) throws ConfigException, IOException {
        for (Path file : cfgFiles(dir)) {
            String name = file.getFileName().toString();
            String pid = name.substring(0, name.length() - CFG.length());
            String text = readSource(file);
            merged.computeIfAbsent(pid, p -> new Layered()).add(CfgParser.parse(text, file.toString()), file.toString());
        }
    }

    private static String readSource(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            try {
                // FileInstall's own encoding; accepted so that files written for plain FileInstall still work.
                return Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException again) {
                throw new ConfigException(file + ": cannot read: " + again.getMessage(), again);
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> render(Map<String, StagedPid> effective) {
        Map<String, String> contents = new TreeMap<>();
        for (Map.Entry<String, StagedPid> entry : effective.entrySet()) {
            List<String> header = new ArrayList<>();
            header.add("Staged by the Herald launcher; edits here are overwritten. Sources:");
            header.addAll(entry.getValue().sources());
            contents.put(entry.getKey(), CfgWriter.write(entry.getValue().values(), header));
        }
        return contents;
    }

    private static void writeIfChanged(Path target, String content) throws IOException {
        try {
            if (Files.readString(target, StandardCharsets.ISO_8859_1).equals(content)) {
                return;
            }
        } catch (NoSuchFileException absent) {
            // first time: fall through and write it
        }
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.ISO_8859_1);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void removeStale(Set<String> keep) throws IOException {
        for (Path file : cfgFiles(stagedDir)) {
            String name = file.getFileName().toString();
            if (!keep.contains(name.substring(0, name.length() - CFG.length()))) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The content of every source, checksummed: modification times alone miss an edit that keeps the size
     * within the file system's time granularity, and the files are small enough to read at every poll.
     */
    private Map<Path, Long> fingerprint() throws IOException {
        Map<Path, Long> result = new LinkedHashMap<>();
        for (Path level : sourceDirs()) {
            for (Path file : cfgFiles(level)) {
                try {
                    CRC32 checksum = new CRC32();
                    checksum.update(Files.readAllBytes(file));
                    result.put(file, checksum.getValue());
                } catch (NoSuchFileException gone) {
                    // removed between listing and reading: the next poll sees it gone
                }
            }
        }
        return result;
    }

    private static List<Path> cfgFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + CFG)) {
            for (Path file : stream) {
                if (Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")) {
                    files.add(file);
                }
            }
        } catch (NoSuchFileException gone) {
            return List.of();
        }
        files.sort(null);
        return files;
    }

    /** One PID's keys with the source that gave each, before expansion. */
    private static final class Layered {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> sourceOfKey = new LinkedHashMap<>();
        private final List<String> sources = new ArrayList<>();

        void add(Map<String, String> layer, String source) {
            sources.add(source);
            for (Map.Entry<String, String> entry : layer.entrySet()) {
                values.put(entry.getKey(), entry.getValue());
                sourceOfKey.put(entry.getKey(), source);
            }
        }

        StagedPid expand(String pid, Interpolator interpolator, MetatypeCatalog catalog) throws ConfigException {
            Map<String, String> expanded = new LinkedHashMap<>();
            Map<String, String> origins = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                String key = entry.getKey();
                List<String> variables = new ArrayList<>();
                String value = interpolator.expand(entry.getValue(), sourceOfKey.get(key), key, variables);
                String origin = Origin.describe(sourceOfKey.get(key), key, value, variables);
                origins.put(key, origin);
                String checked;
                try {
                    checked = catalog.check(pid, key, value);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(origin + " (" + pid + " " + key + ") " + e.getMessage());
                }
                if (checked != null) {
                    expanded.put(key, checked);
                }
            }
            return new StagedPid(expanded, List.copyOf(sources), origins);
        }
    }

    /**
     * The values staged for one PID, the sources they were merged from, and per key where its value came from
     * ({@link Origin}), for errors about it.
     */
    record StagedPid(Map<String, String> values, List<String> sources, Map<String, String> origins) {
    }

    /**
     * Where a staged value came from, in the words an error should use: the environment variable the operator set
     * ({@code ENABLE_WEB_SERVER=maybe}), or the file and key ({@code config/io.herald.tasks.cfg: scheduler = maybe}).
     *
     * @return the origin, or null when nothing staged that key of that PID
     */
    synchronized String origin(String pid, String key) {
        Map<String, String> origins = lastOrigins.get(pid);
        return origins == null ? null : origins.get(key);
    }

    /** How an origin is written. */
    static final class Origin {

        private Origin() {
        }

        static String describe(String source, String key, String value, List<String> variables) {
            if (variables.size() == 1) {
                return variables.get(0) + "=" + value;
            }
            if (!variables.isEmpty()) {
                return String.join(", ", variables) + " (giving " + key + " = " + value + ")";
            }
            return source + ": " + key + " = " + value;
        }
    }
}
