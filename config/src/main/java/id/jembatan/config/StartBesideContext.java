package id.jembatan.config;

import org.slf4j.Logger;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;

import java.util.function.Consumer;

/**
 * Starts one part of the bus (the embedded store, the embedded broker) on a thread of its own as the application
 * context begins its refresh, so that its start runs beside the building of the rest of the context instead of in
 * front of it; the part's bean then takes what was started ({@link PendingStart#take}), registered under
 * {@link #beanName}.
 *
 * <p>It runs after every initializer and property source (tests' dynamic properties included), before the
 * configuration classes are parsed (a post-processor added by hand runs first in the refresh), and only where
 * {@link #inputs} says the part's bean will be made. Settings it cannot read are left to that bean, which reports them
 * with every other configuration problem; it starts nothing then. What nobody took is stopped with the context, or
 * when its refresh fails.
 *
 * @param <K> what the start needs, bound from the environment
 * @param <T> what was started
 */
public abstract class StartBesideContext<K, T> implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private final String what;
    private final String beanName;
    private final String thread;
    private final Logger log;
    private final PendingStart.Starter<K, T> starter;
    private final Consumer<T> stop;

    /**
     * @param what     its name in the log ({@code Store})
     * @param beanName the name the pending start is registered under
     * @param thread   the start thread's name
     */
    protected StartBesideContext(String what, String beanName, String thread, Logger log,
                                 PendingStart.Starter<K, T> starter, Consumer<T> stop) {
        this.what = what;
        this.beanName = beanName;
        this.thread = thread;
        this.log = log;
        this.starter = starter;
        this.stop = stop;
    }

    /**
     * What the start needs, bound from the environment as the part's bean binds it; {@code null} where that bean will
     * not be made. A setting that does not bind throws.
     */
    protected abstract K inputs(Environment environment);

    @Override
    public final void initialize(ConfigurableApplicationContext context) {
        context.addBeanFactoryPostProcessor(new Starter(context.getEnvironment()));
    }

    private final class Starter implements BeanDefinitionRegistryPostProcessor, PriorityOrdered {

        private final Environment environment;

        Starter(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (!(registry instanceof DefaultListableBeanFactory beanFactory)
                    || beanFactory.containsSingleton(beanName)) {
                return;
            }
            K inputs;
            try {
                inputs = inputs(environment);
            } catch (RuntimeException e) {
                log.debug("{}: not started ahead of the context, its settings do not bind: {}", what, e.toString());
                return;
            }
            if (inputs == null) {
                return;
            }
            PendingStart<K, T> pending = PendingStart.begin(what, log, thread, inputs, starter, stop);
            beanFactory.registerSingleton(beanName, pending);
            beanFactory.registerDisposableBean(beanName, pending);
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
