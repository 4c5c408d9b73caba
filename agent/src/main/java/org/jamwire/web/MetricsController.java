package org.jamwire.web;

import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jamwire.control.AgentMetrics;

/**
 * {@code GET /metrics}: the agent's figures in Prometheus' text format, or in OpenMetrics when the
 * scraper asks for it, written by the Prometheus client library. Jetty's threads.
 */
final class MetricsController {

    private final AgentMetrics metrics;
    private final ExpositionFormatWriter prometheus = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

    MetricsController(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    void scrape(Context ctx) throws IOException {
        final String accept = ctx.header("Accept");
        final ExpositionFormatWriter writer = accept != null && openMetrics.accepts(accept) ? openMetrics
                : prometheus;
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        writer.write(out, metrics.scrape());
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }
}
