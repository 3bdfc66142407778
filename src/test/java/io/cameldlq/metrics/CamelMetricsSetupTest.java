package io.cameldlq.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CamelMetricsSetupTest {

    private final CamelContext context = new DefaultCamelContext();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerRouteEventNotifier routeEvents = new MicrometerRouteEventNotifier();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void routeNotifierStopsTakingExchangeEvents() throws Exception {
        startWithRouteNotifier();

        assertTrue(routeEvents.isIgnoreExchangeEvents());
        assertFalse(context.getCamelContextExtension().isEventNotificationApplicable());
        assertEquals(1.0, registry.get("camel.routes.running").gauge().value(), "route events still counted");
    }

    @Test
    void exchangeEventsStayOnForNotifierReadingThem() throws Exception {
        List<CamelEvent> exchangeEvents = new ArrayList<>();
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent) {
                    exchangeEvents.add(event);
                }
            }
        });
        startWithRouteNotifier();

        context.createProducerTemplate().sendBody("direct:in", "record");

        assertTrue(context.getCamelContextExtension().isEventNotificationApplicable());
        assertEquals(1, exchangeEvents.size());
    }

    private void startWithRouteNotifier() throws Exception {
        routeEvents.setMeterRegistry(registry);
        context.getManagementStrategy().addEventNotifier(routeEvents);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("in").log("${body}");
            }
        });
        context.build();
        context.init();

        CamelMetricsSetup.apply(context);
        context.start();
    }
}
