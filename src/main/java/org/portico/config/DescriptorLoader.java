package org.portico.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads a descriptor from a file, a URL or a stream into an immutable {@link Descriptor}. */
public final class DescriptorLoader {

    private DescriptorLoader() {
    }

    public static Descriptor load(Path file) throws DescriptorException {
        String name = file.toString();
        try {
            long size = Files.size(file);
            if (size > DescriptorReader.maxSize()) {
                throw DescriptorReader.tooLarge(name, size, DescriptorReader.maxSize());
            }
        } catch (NoSuchFileException e) {
            throw new DescriptorException(SourceLocation.unknown(name), "the descriptor does not exist");
        } catch (IOException e) {
            // the read below says what is wrong
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, name, file.toAbsolutePath().getParent());
        } catch (NoSuchFileException e) {
            throw new DescriptorException(SourceLocation.unknown(name), "the descriptor does not exist");
        } catch (IOException e) {
            throw new DescriptorException(SourceLocation.unknown(name), "cannot be read: " + e.getMessage(), e);
        }
    }

    /** @param baseDir where relative paths in the descriptor (trust stores) are resolved; may be null */
    public static Descriptor load(URL url, Path baseDir) throws DescriptorException {
        String name = url.toString();
        try (InputStream in = url.openStream()) {
            return load(in, name, baseDir);
        } catch (IOException e) {
            throw new DescriptorException(SourceLocation.unknown(name), "cannot be read: " + e.getMessage(), e);
        }
    }

    public static Descriptor load(InputStream in, String name, Path baseDir) throws DescriptorException {
        DescriptorReader.Parsed parsed = DescriptorReader.read(in, name);
        return new DescriptorBinder(parsed.source(), baseDir).bind(parsed.document());
    }
}
