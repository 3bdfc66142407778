package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.kafka.EmbeddedKafkaBroker;
import io.cameldlq.support.AppDirectory;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.TemporaryDirectories;

/** A broker that accepts only SASL/PLAIN clients: every client of the application must authenticate. */
class SecuredBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String APP_PASSWORD = "app-secret-7f3a";
    private static final String WRONG_PASSWORD = "wrong-secret-9c1d";

    private static EmbeddedKafkaBroker broker;
    private static Path brokerDirectory;

    @TempDir
    Path workingDirectory;

    @BeforeAll
    static void startBroker() throws Exception {
        String users = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                + "password=\"admin-secret\" user_admin=\"admin-secret\" user_app=\"" + APP_PASSWORD + "\";";
        brokerDirectory = TemporaryDirectories.createUntracked("camel-dlq-sasl-broker");
        broker = EmbeddedKafkaBroker.start(0, brokerDirectory, Map.of(
                "listeners", "SASL_PLAINTEXT://localhost:{port},CONTROLLER://localhost:{controller.port}",
                "advertised.listeners", "SASL_PLAINTEXT://localhost:{port}",
                "listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", users));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
        TemporaryDirectories.delete(brokerDirectory);
    }

    @Test
    void rightCredentialsReachEveryClient() throws Exception {
        AppDirectory app = secured(APP_PASSWORD).write(broker.bootstrapServers());
        Properties credentials = new Properties();
        credentials.put("security.protocol", "SASL_PLAINTEXT");
        credentials.put("sasl.mechanism", "PLAIN");
        credentials.put("sasl.jaas.config", jaas(APP_PASSWORD));

        try (JarProcess pipeline = JarProcess.start(app.path, Map.of(), List.of());
                KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers(), credentials)) {
            await().atMost(TIMEOUT).until(() -> pipeline.output().contains("Routes startup"));
            // The send command reads the same application.properties, so it authenticates too.
            try (JarProcess send = JarProcess.start(app.path, Map.of(), List.of(), "send", "--key", "secured",
                    "fail")) {
                assertEquals(0, send.waitForExit(60), send.output());
            }
            await().atMost(TIMEOUT).until(() -> app.logLines().size() == 1);
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.logGroup, app.deadLetterTopic));
            assertEquals(1, kafka.readAll(app.deadLetterTopic).size());
            String output = pipeline.output();
            assertFalse(output.contains(APP_PASSWORD), "password in the log:\n" + output);
        }
    }

    @Test
    void wrongCredentialsStopStartup() throws Exception {
        AppDirectory app = secured(WRONG_PASSWORD).write(broker.bootstrapServers());
        try (JarProcess pipeline = JarProcess.start(app.path, Map.of(), List.of())) {
            Integer exitCode = pipeline.waitForExit(60);
            assertNotNull(exitCode, "still running with a wrong password");
            assertNotEquals(0, exitCode);
            String output = pipeline.output();
            assertTrue(output.contains("Authentication failed"), output);
            assertTrue(output.contains("Check the security settings"), output);
            assertFalse(output.contains(WRONG_PASSWORD), "password in the log:\n" + output);
        }
    }

    private AppDirectory secured(String password) {
        return new AppDirectory(workingDirectory)
                .with("camel.component.kafka.security-protocol", "SASL_PLAINTEXT")
                .with("camel.component.kafka.sasl-mechanism", "PLAIN")
                .with("camel.component.kafka.sasl-jaas-config", jaas(password));
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\""
                + password + "\";";
    }
}
