package io.cameldlq.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyNamingStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Records Camel's route metrics ({@code camel_exchanges_total}, {@code camel_exchanges_succeeded_total},
 * {@code camel_exchanges_failed_total}, {@code camel_exchanges_failures_handled_total},
 * {@code camel_exchanges_external_redeliveries_total} and the timer {@code camel_route_policy_seconds}) with the
 * names, tags and counting rules of camel-micrometer's {@code MicrometerRoutePolicy} at route level.
 *
 * <p>Camel's policy builds an exchange-property name with {@code String.format} two or three times per
 * exchange, which cost about a sixth of the task consumer's time in the benchmark. This one names the
 * start-time property once per route, so an exchange costs a property, a clock reading and a few additions.
 * The name contains the route id because one exchange can pass through several routes, as a failed record
 * passes from the task-processing route to the route that publishes it in the non-blocking mode.
 */
public final class RouteMetricsPolicy extends RoutePolicySupport {

    /**
     * Prefix of the exchange property, followed by the route id, with the {@link System#nanoTime()} at which
     * the route began the exchange.
     */
    static final String START_PROPERTY_PREFIX = "CamelDlqRouteStartNanos-";

    private final MeterRegistry registry;
    private final MicrometerRoutePolicyNamingStrategy naming;
    private Counter total;
    private Counter succeeded;
    private Counter failed;
    private Counter failuresHandled;
    private Counter externalRedeliveries;
    private Timer timer;
    private String startProperty;

    RouteMetricsPolicy(MeterRegistry registry, MicrometerRoutePolicyNamingStrategy naming) {
        this.registry = registry;
        this.naming = naming;
    }

    /**
     * Returns the factory that gives every route this policy while Camel's metrics are on
     * ({@code camel.metrics.enabled}) and Camel's own route policy is off
     * ({@code camel.metrics.enable-route-policy = false}), so the meters are never recorded twice. It follows
     * {@code camel.metrics.naming-strategy}.
     */
    public static RoutePolicyFactory factory() {
        return new RoutePolicyFactory() {
            @Override
            public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
                MicrometerPrometheus metrics = context.hasService(MicrometerPrometheus.class);
                if (metrics == null || metrics.isEnableRoutePolicy()) {
                    return null;
                }
                MicrometerRoutePolicyNamingStrategy naming = "legacy".equalsIgnoreCase(metrics.getNamingStrategy())
                        ? MicrometerRoutePolicyNamingStrategy.LEGACY
                        : MicrometerRoutePolicyNamingStrategy.DEFAULT;
                return new RouteMetricsPolicy(PipelineMetrics.of(context).registry(), naming);
            }
        };
    }

    @Override
    public void onInit(Route route) {
        super.onInit(route);
        startProperty = START_PROPERTY_PREFIX + route.getRouteId();
        total = counter(naming.getExchangesTotalName(route), route, "Exchanges the route completed, failed or not");
        succeeded = counter(naming.getExchangesSucceededName(route), route,
                "Exchanges the route completed without a failure");
        failed = counter(naming.getExchangesFailedName(route), route, "Exchanges that ended with a failure");
        failuresHandled = counter(naming.getFailuresHandledName(route), route, "Exchanges whose failure an error handler handled");
        externalRedeliveries = counter(naming.getExternalRedeliveriesName(route), route,
                "Exchanges that their source marked as redelivered");
        timer = Timer.builder(naming.getName(route)).tags(naming.getTags(route))
                .description("Time from the start of an exchange in the route to its completion").register(registry);
    }

    private Counter counter(String name, Route route, String description) {
        return Counter.builder(name).tags(naming.getExchangeStatusTags(route)).description(description)
                .register(registry);
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        exchange.setProperty(startProperty, System.nanoTime());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        if (exchange.removeProperty(startProperty) instanceof Long start) {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        total.increment();
        if (exchange.isFailed()) {
            failed.increment();
            return;
        }
        succeeded.increment();
        if (ExchangeHelper.isFailureHandled(exchange)) {
            failuresHandled.increment();
        }
        if (exchange.isExternalRedelivered()) {
            externalRedeliveries.increment();
        }
    }

    @Override
    public void onRemove(Route route) {
        for (Meter meter : List.of(total, succeeded, failed, failuresHandled, externalRedeliveries, timer)) {
            registry.remove(meter);
        }
    }
}
