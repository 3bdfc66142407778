package io.cameldlq.config;

import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Shares one instance of a pipeline object per Camel context through the context's registry. */
public final class ContextBeans {

    private ContextBeans() {
    }

    /**
     * Returns the bean named {@code name} in the context's registry. At the first call it creates the bean
     * with {@code creator} and binds it. Calls from several threads or route builders get the same instance.
     */
    public static <T> T getOrBind(CamelContext context, String name, Class<T> type, Supplier<T> creator) {
        Registry beans = context.getRegistry();
        synchronized (beans) {
            T existing = beans.lookupByNameAndType(name, type);
            if (existing != null) {
                return existing;
            }
            T created = creator.get();
            beans.bind(name, created);
            return created;
        }
    }
}
