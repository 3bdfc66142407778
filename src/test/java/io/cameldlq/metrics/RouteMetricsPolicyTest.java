package io.cameldlq.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyNamingStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteMetricsPolicyTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void matchesCamelsRoutePolicyMeters() throws Exception {
        MeterRegistry camels = new SimpleMeterRegistry();
        Map<String, Double> expected = runRoutes(camels, context -> {
            MicrometerRoutePolicyFactory factory = new MicrometerRoutePolicyFactory();
            factory.setMeterRegistry(camels);
            // What camel.metrics.route-policy-level = route sets.
            factory.getPolicyConfiguration().setContextEnabled(false);
            context.addRoutePolicyFactory(factory);
        });
        MeterRegistry ours = new SimpleMeterRegistry();
        Map<String, Double> actual = runRoutes(ours, context -> context.addRoutePolicyFactory(
                (camelContext, routeId, route) -> new RouteMetricsPolicy(ours, MicrometerRoutePolicyNamingStrategy.DEFAULT)));

        assertEquals(expected, actual);
        // The routes ran: the outer route's exchange was timed by both routes it passed.
        assertEquals(3.0, actual.get(routeMeter("camel.route.policy", "ok")));
        assertEquals(1.0, actual.get(routeMeter("camel.route.policy", "outer")));
        assertEquals(2.0, actual.get(routeMeter("camel.exchanges.failed", "failing")));
        assertEquals(1.0, actual.get(routeMeter("camel.exchanges.failures.handled", "handled")));
    }

    private static String routeMeter(String name, String routeId) {
        return name + "{camelContext=metrics,eventType=route,kind=CamelRoute,routeId=" + routeId + "}";
    }

    @Test
    void timesExchangeWithoutLeftoverProperty() throws Exception {
        startRoute("slow", route -> route.delay(20).syncDelayed());

        Exchange done = context.createProducerTemplate().send("direct:slow", exchange -> { });

        assertFalse(done.getProperties().containsKey(RouteMetricsPolicy.START_PROPERTY_PREFIX + "slow"));
        Timer timer = registry.get("camel.route.policy").tag("routeId", "slow").timer();
        assertEquals(1, timer.count());
        assertTrue(timer.totalTime(TimeUnit.MILLISECONDS) >= 20,
                () -> "timed " + timer.totalTime(TimeUnit.MILLISECONDS) + " ms");
    }

    @Test
    void removesItsMetersWithTheRoute() throws Exception {
        startRoute("gone", route -> route.log("done"));
        assertFalse(registry.find("camel.exchanges.total").tag("routeId", "gone").counters().isEmpty());

        context.getRouteController().stopRoute("gone");
        context.removeRoute("gone");

        assertTrue(registry.getMeters().isEmpty(), () -> "left " + registry.getMeters());
    }

    /** Starts the route {@code direct:ROUTE_ID} with this policy on {@link #registry} and {@code steps}. */
    private void startRoute(String routeId, Consumer<RouteDefinition> steps) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                steps.accept(from("direct:" + routeId).routeId(routeId)
                        .routePolicy(new RouteMetricsPolicy(registry, MicrometerRoutePolicyNamingStrategy.DEFAULT)));
            }
        });
        context.start();
    }

    @Test
    void factoryDefersToCamelsPolicy() {
        assertNull(policyFor(true));
    }

    @Test
    void factoryGivesNoPolicyWhenMetricsAreOff() {
        assertNull(policyFor(null));
    }

    @Test
    void factoryGivesPolicyWhenCamelsIsOff() {
        assertInstanceOf(RouteMetricsPolicy.class, policyFor(false));
    }

    /**
     * Returns the factory's policy for a route of a context whose Camel route policy is on or off, or whose
     * metrics are off ({@code null}).
     */
    private static RoutePolicy policyFor(Boolean camelsRoutePolicy) {
        CamelContext context = new DefaultCamelContext();
        try {
            if (camelsRoutePolicy != null) {
                MicrometerPrometheus metrics = new MicrometerPrometheus();
                metrics.setEnableRoutePolicy(camelsRoutePolicy);
                context.addService(metrics, true, false);
            }
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, new SimpleMeterRegistry());
            context.getPropertiesComponent().addInitialProperty("task-processing.topic", "tasks");
            return RouteMetricsPolicy.factory().createRoutePolicy(context, "task-processing", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            context.stop();
        }
    }

    /**
     * Runs four routes, one succeeding, one failing, one handling its failure and one calling the first, in a
     * context named {@code metrics}, and returns each route meter of {@code registry} with its count.
     */
    private static Map<String, Double> runRoutes(MeterRegistry registry, Consumer<CamelContext> policy) throws Exception {
        CamelContext context = new DefaultCamelContext();
        try {
            context.getCamelContextExtension().setName("metrics");
            policy.accept(context);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:ok").routeId("ok").log("ok");
                    // One exchange through two routes, each timing it.
                    from("direct:outer").routeId("outer").to("direct:ok");
                    from("direct:failing").routeId("failing").throwException(new IllegalStateException("failing"));
                    from("direct:handled").routeId("handled")
                            .onException(IllegalStateException.class).handled(true).end()
                            .throwException(new IllegalStateException("handled"));
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            for (int i = 0; i < 2; i++) {
                template.send("direct:ok", exchange -> { });
                template.send("direct:failing", exchange -> { });
            }
            template.send("direct:handled", exchange -> { });
            template.send("direct:outer", exchange -> { });
            // Read before the context closes: removing a route removes its meters.
            return routeMeters(registry);
        } finally {
            context.stop();
        }
    }

    private static Map<String, Double> routeMeters(MeterRegistry registry) {
        Map<String, Double> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (!name.startsWith("camel.exchanges") && !name.equals("camel.route.policy")) {
                continue;
            }
            StringBuilder key = new StringBuilder(name).append('{');
            meter.getId().getTags().forEach(tag -> key.append(tag.getKey()).append('=').append(tag.getValue()).append(','));
            key.setCharAt(key.length() - 1, '}');
            meters.put(key.toString(), meter instanceof Counter counter ? counter.count() : (double) ((Timer) meter).count());
        }
        return meters;
    }
}
