package io.cameldlq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.utils.AppInfoParser;

/** Facts about the machine and the software under measurement, for the results file. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> collect(String brokerDescription) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("date", Instant.now().toString());
        info.put("cores", Runtime.getRuntime().availableProcessors());
        info.put("cpu", cpuModel());
        info.put("memory_gib", Math.round(memoryKib() / 1024.0 / 1024.0 * 10) / 10.0);
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        info.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")");
        info.put("kafka_clients", AppInfoParser.getVersion());
        info.put("camel", camelVersion());
        info.put("broker", brokerDescription);
        info.put("load_average_at_start", loadAverage());
        return info;
    }

    /** Returns the 1, 5 and 15 minute load averages from /proc/loadavg. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static long memoryKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static String camelVersion() {
        for (String artifact : List.of("camel-api", "camel-core-engine", "camel-main")) {
            String resource = "META-INF/maven/org.apache.camel/" + artifact + "/pom.properties";
            try (InputStream in = MachineInfo.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(in);
                    return properties.getProperty("version", "unknown");
                }
            } catch (IOException e) {
                return "unknown";
            }
        }
        return "unknown";
    }
}
