package org.jamwire.web;

import io.javalin.config.JavalinConfig;

/** The REST API's routes, each to its controller's method. Added once, on the control thread. */
final class Routes {

    private Routes() {
    }

    static void api(JavalinConfig config, Controllers api, LabController labApi, ProvisionController provisions,
            PairController pairs, InventoryController inventory, String openApi) {
        config.routes.get("/api/health", api::health);
        config.routes.get("/api/version", api::version);
        config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        config.routes.get("/api/jack", api::jackState);
        config.routes.get("/api/jack/ports", api::jackPorts);
        config.routes.post("/api/jack/connections", api::connect);
        config.routes.delete("/api/jack/connections", api::disconnect);
        config.routes.get("/api/link-options", api::linkOptions);
        config.routes.get("/api/counters", api::counterMeanings);
        config.routes.post("/api/links/check", api::checkLink);
        config.routes.post("/api/links", api::startLink);
        config.routes.get("/api/links", api::listLinks);
        config.routes.get("/api/links/{id}", api::getLink);
        config.routes.delete("/api/links/{id}", api::stopLink);
        config.routes.get("/api/links/{id}/counters", api::linkCounters);
        config.routes.get("/api/links/{id}/clients", api::hubClients);
        config.routes.post("/api/links/{id}/latency", api::measureLatency);
        config.routes.get("/api/lab/peers", labApi::list);
        config.routes.get("/api/lab/ssh-config", labApi::sshConfig);
        config.routes.post("/api/lab/inventory", inventory::importInventory);
        config.routes.post("/api/lab/peers", labApi::add);
        config.routes.delete("/api/lab/peers/{name}", labApi::remove);
        config.routes.post("/api/lab/peers/{name}/probe", labApi::probe);
        config.routes.post("/api/lab/peers/{name}/trust", labApi::trust);
        config.routes.post("/api/lab/preflight", labApi::preflight);
        config.routes.post("/api/lab/peers/{name}/linktest", labApi::linkTest);
        config.routes.post("/api/lab/peers/{name}/match-jack", labApi::matchJack);
        config.routes.post("/api/lab/peers/{name}/agent", labApi::startAgent);
        config.routes.get("/api/lab/peers/{name}/linktests", labApi::linkTests);
        config.routes.post("/api/lab/peers/{name}/provision", provisions::start);
        config.routes.get("/api/lab/provisions", provisions::list);
        config.routes.get("/api/lab/provisions/{id}", provisions::get);
        config.routes.get("/api/lab/pairs", pairs::list);
        config.routes.post("/api/lab/pairs", pairs::start);
        config.routes.get("/api/lab/pairs/{id}", pairs::get);
        config.routes.delete("/api/lab/pairs/{id}", pairs::stop);
        config.routes.post("/api/lab/pairs/{id}/latency", pairs::latency);
    }

    static void ensembles(JavalinConfig config, EnsembleController ensembles) {
        config.routes.get("/api/lab/ensembles", ensembles::list);
        config.routes.post("/api/lab/ensembles", ensembles::save);
        config.routes.get("/api/lab/ensembles/{name}", ensembles::get);
        config.routes.delete("/api/lab/ensembles/{name}", ensembles::remove);
        config.routes.post("/api/lab/ensembles/{name}/start", ensembles::start);
        config.routes.post("/api/lab/ensembles/{name}/stop", ensembles::stop);
        config.routes.post("/api/lab/ensembles/{name}/latency", ensembles::latency);
    }
}
