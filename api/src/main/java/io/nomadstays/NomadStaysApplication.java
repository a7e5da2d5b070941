package io.nomadstays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NomadStaysApplication {

    public static void main(String[] args) {
        SpringApplication.run(NomadStaysApplication.class, args);
    }
}
