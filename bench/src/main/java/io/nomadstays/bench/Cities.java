package io.nomadstays.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The demo's city list (api/src/main/resources/demo/nomad-cities.csv): the places searches go to. */
final class Cities {

    record City(String name, String localName, String country, double lat, double lon, String currency) {
    }

    private Cities() {
    }

    static List<City> read(Path csv) throws IOException {
        List<City> cities = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 7) {
                throw new IllegalArgumentException(csv + ": expected 7 cells: " + line);
            }
            cities.add(new City(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[6]));
        }
        if (cities.isEmpty()) {
            throw new IllegalArgumentException(csv + " lists no cities");
        }
        return List.copyOf(cities);
    }
}
