package id.jembatan.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The interactive API page at {@code /swagger-ui/}: Swagger UI from its WebJar, served by the bus itself (works
 * offline, no CDN), opened on the published contract {@code /v3/api-docs} by this module's
 * {@code swagger-ui/swagger-initializer.js}.
 */
@Configuration(proxyBeanMethods = false)
public class ApiPageConfiguration implements WebMvcConfigurer {

    static final String PAGE = "/swagger-ui/index.html";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Our initializer first: it replaces the WebJar's, which would open the Petstore example.
        registry.addResourceHandler("/swagger-ui/**")
                .addResourceLocations("classpath:/swagger-ui/", WebJarFolders.of("swagger-ui"));
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/swagger-ui", PAGE);
        registry.addRedirectViewController("/swagger-ui/", PAGE);
        registry.addRedirectViewController("/swagger-ui.html", PAGE);
    }
}
