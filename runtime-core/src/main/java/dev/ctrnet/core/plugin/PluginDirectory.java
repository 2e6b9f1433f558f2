package dev.ctrnet.core.plugin;

import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder whose jars are plugins.
 *
 * @param path the folder
 * @param required whether the user named it ({@code --plugin-dir}), so that its absence is an error;
 *     the default folder under the state root may simply not exist
 */
public record PluginDirectory(Path path, boolean required) {
    /** The folder the user named with {@code --plugin-dir} or {@code CTRNET_PLUGIN_DIR}. */
    public static PluginDirectory named(Path path) {
        return new PluginDirectory(path.toAbsolutePath().normalize(), true);
    }

    /** The default folder, {@code ROOT/plugins}, used when none is named. */
    public static PluginDirectory standard(Path path) {
        return new PluginDirectory(path.toAbsolutePath().normalize(), false);
    }

    /**
     * Whether the folder holds any {@code *.jar} file; false when the default folder does not exist.
     * Only a first look by path, so that a folder without plugins costs nothing and says nothing: the
     * jars that get loaded are listed again through the opened and checked folder ({@link TrustedPath}).
     *
     * @throws CtrnetException when a named folder does not exist or cannot be read
     */
    boolean hasJars() {
        if (!Files.exists(path)) {
            if (required) {
                throw new CtrnetException("plugin folder " + path + " does not exist: create it or drop --plugin-dir");
            }
            return false;
        }
        if (!Files.isDirectory(path)) {
            throw new CtrnetException("plugin folder " + path + " is not a folder: point --plugin-dir at the folder of the jars");
        }
        try (var files = Files.list(path)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".jar") && !Files.isDirectory(p));
        } catch (IOException e) {
            throw new CtrnetException("cannot read plugin folder " + path + ": " + e.getMessage(), e);
        }
    }
}
