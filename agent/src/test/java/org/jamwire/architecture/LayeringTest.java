package org.jamwire.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent's layers, read from its compiled classes (so a fully qualified name counts as much as
 * an import): protocol ← engine ← (jack, net) ← link/hub ← control ← (web, cli, coordinator). Each
 * layer names every layer it may use; anything else fails. docs/architecture.md draws them.
 */
@AnalyzeClasses(packages = "org.jamwire", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule layers_are_used_only_downwards = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("text").definedBy("org.jamwire.text..")
            .layer("protocol").definedBy("org.jamwire.protocol..")
            .layer("audio").definedBy("org.jamwire.audio")
            .layer("engine").definedBy("org.jamwire.engine..")
            .layer("io").definedBy("org.jamwire.jack..", "org.jamwire.net..", "org.jamwire.netsim..",
                    "org.jamwire.audio.builtin..")
            .layer("link").definedBy("org.jamwire.link..", "org.jamwire.hub..")
            .layer("options").definedBy("org.jamwire.options..")
            .layer("control").definedBy("org.jamwire.control..")
            .layer("coordinator").definedBy("org.jamwire.coordinator..")
            .layer("web").definedBy("org.jamwire.web..")
            .layer("cli").definedBy("org.jamwire.cli..")
            .layer("app").definedBy("org.jamwire.app..")
            .whereLayer("text").mayNotAccessAnyLayer()
            .whereLayer("protocol").mayOnlyAccessLayers("text")
            .whereLayer("audio").mayOnlyAccessLayers("text")
            .whereLayer("engine").mayOnlyAccessLayers("protocol", "audio", "text")
            .whereLayer("io").mayOnlyAccessLayers("engine", "protocol", "audio", "text")
            .whereLayer("link").mayOnlyAccessLayers("io", "engine", "protocol", "audio", "text")
            .whereLayer("options").mayOnlyAccessLayers("link", "io", "engine", "protocol", "audio", "text")
            .whereLayer("control").mayOnlyAccessLayers("options", "link", "io", "engine", "protocol", "audio", "text")
            .whereLayer("coordinator").mayOnlyAccessLayers("control", "options", "text")
            .whereLayer("web").mayOnlyAccessLayers("control", "coordinator", "options", "text")
            .whereLayer("cli").mayOnlyAccessLayers("control", "options", "text")
            .whereLayer("app").mayOnlyAccessLayers("web", "coordinator", "cli", "control", "options", "text");
}
