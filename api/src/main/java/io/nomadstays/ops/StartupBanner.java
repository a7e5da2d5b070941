package io.nomadstays.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells whoever started the server where to point a browser. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            return;
        }
        Environment env = event.getApplicationContext().getEnvironment();
        String base = "http://localhost:" + web.getWebServer().getPort();
        StringBuilder message = new StringBuilder()
                .append("\n\n  Nomad Stays is running\n")
                .append("  GraphiQL:  ").append(base).append("/graphiql\n")
                .append("  GraphQL:   ").append(base).append("/graphql\n")
                .append("  Health:    ").append(base).append("/actuator/health\n");
        if (env.getProperty("nomad.identity.dev-issuer.enabled", Boolean.class, false)) {
            message.append("  Tokens:    ").append(base).append("/dev/tokens  (demo users; paste one into GraphiQL's headers)\n");
        }
        log.info(message.toString());
    }
}
