package io.nomadstays.infra.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;

/**
 * The Stripe fake as a process, for the demo and the benchmarks (infra/bin/stripe-fake.sh): the
 * same WireMock stubs and {@link FakeStripe} the tests use. {@code POST /_fake/pay/<intent>}
 * (form {@code outcome=succeeded|declined|requires_action}) plays the browser and the bank, then
 * sends the webhook to the api, signed with the webhook secret.
 *
 * <p>Arguments: {@code <port> <webhook url> <webhook secret>}.
 */
public final class StripeFakeServer {

    private StripeFakeServer() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: StripeFakeServer <port> <webhook url> <webhook secret>");
            System.exit(2);
        }
        FakeStripe fake = new FakeStripe();
        fake.deliverEventsTo(URI.create(args[1]), args[2]);
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(Integer.parseInt(args[0]))
                .containerThreads(16).extensions(fake).disableRequestJournal());
        server.start();
        FakeStripe.stubDefaults(server);
        // The demo's operators' accounts (acct_demo...), read by the reconciliation job.
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/v1/accounts/acct_demo[A-Za-z0-9]+"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(FakeStripe.NAME)));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("[stripe-fake] listening on http://127.0.0.1:" + server.port() + ", webhooks to " + args[1]);
    }
}
