package id.jembatan.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The open statistics page at {@code /statistics/}: this module's {@code statistics/} page and Apache ECharts from its
 * WebJar under {@code /statistics/lib/}, both served by the bus itself (nothing loaded from elsewhere).
 */
@Configuration(proxyBeanMethods = false)
public class StatisticsPageConfiguration implements WebMvcConfigurer {

    static final String PAGE = "/statistics/index.html";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/statistics/lib/**")
                .addResourceLocations(WebJarFolders.of("echarts") + "dist/");
        registry.addResourceHandler("/statistics/**").addResourceLocations("classpath:/statistics/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/statistics", PAGE);
        registry.addRedirectViewController("/statistics/", PAGE);
    }
}
