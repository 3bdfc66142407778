package io.cameldlq.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingSourcesTest {

    @Test
    void environmentVariableNamedWithItsValue() {
        SettingSources sources = new SettingSources();
        sources.onLookup("task-processing.consumers", "", null, "ENV");
        assertEquals(Optional.of("The value comes from the environment variable TASK_PROCESSING_CONSUMERS, "
                + "which is set but empty."), sources.describe("task-processing.consumers"));

        sources.onLookup("task-processing.consumers", "  ", null, "ENV");
        assertEquals(Optional.of("The value comes from the environment variable TASK_PROCESSING_CONSUMERS, "
                + "which contains only whitespace."), sources.describe("task-processing.consumers"));

        sources.onLookup("task-processing.consumers", "abc", null, "ENV");
        assertEquals(Optional.of("The value comes from the environment variable TASK_PROCESSING_CONSUMERS."),
                sources.describe("task-processing.consumers"));
    }

    @Test
    void classpathSourceNamedAsPackaged() {
        SettingSources sources = new SettingSources();
        sources.onLookup("redelivery.mode", "x", null, "classpath:application.properties");

        assertEquals(Optional.of("The value comes from the packaged application.properties "
                + "(classpath:application.properties)."), sources.describe("redelivery.mode"));
    }

    @Test
    void unrecordedKeyHasNoSource() {
        SettingSources sources = new SettingSources();
        sources.onLookup("redelivery.mode", "x", null, "SYS");

        assertEquals(Optional.empty(), sources.describe("redelivery.delay-ms"));
        assertEquals(Optional.empty(), sources.describe(null));
    }

    @Test
    void camelReportsSystemProperty() throws Exception {
        String key = "setting-sources-test.system-property";
        System.setProperty(key, "abc");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            SettingSources sources = new SettingSources();
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.addPropertiesLookupListener(sources);

            assertEquals(Optional.of("abc"), properties.resolveProperty(key));
            assertEquals(Optional.of("The value comes from the system property " + key + "."),
                    sources.describe(key));
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void camelReportsPropertiesFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("application.properties");
        Files.writeString(file, "task-processing.consumers = 0\n");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            SettingSources sources = new SettingSources();
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setLocation("file:" + file);
            properties.addPropertiesLookupListener(sources);

            assertEquals(Optional.of("0"), properties.resolveProperty("task-processing.consumers"));
            String described = sources.describe("task-processing.consumers").orElseThrow();
            assertTrue(described.startsWith("The value comes from the file "), described);
            assertTrue(described.endsWith(file.toAbsolutePath() + "."), described);
        }
    }
}
