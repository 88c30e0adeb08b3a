package io.herald.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.core.json.HeraldJson;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.RouteTable;

import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The built-in {@code swagger} action, served at {@code /api/swagger}: an OpenAPI 3 document of every documented
 * action, built from action metadata and the routes of every transport. Its {@code info} describes the project
 * ({@code projectName}, {@code projectDescription}, {@code projectVersion} of {@code io.herald.core}), as Actionhero's
 * swagger action describes the project's package.json.
 */
@Component(configurationPid = "io.herald.core", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@ActionDefinition(name = "swagger", description = "I return an OpenAPI 3 document of the actions of this node",
        toDocument = false, responseMetadata = false)
public final class SwaggerAction implements Action {

    private final OpenApiDocument document = new OpenApiDocument(HeraldJson.mapper());
    private final List<RouteTable> routeTables = new CopyOnWriteArrayList<>();

    @Reference
    private ActionRunner runner;

    private volatile ProjectInfo project;

    @Activate
    @Modified
    void configure(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        project = CoreSettings.read(config, properties).project();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRouteTable(RouteTable table) {
        routeTables.add(table);
    }

    void removeRouteTable(RouteTable table) {
        routeTables.remove(table);
    }

    @Override
    public Object run(ActionContext context) {
        List<RouteTable.Route> routes = new ArrayList<>();
        routeTables.forEach(t -> routes.addAll(t.routes()));
        return document.build(project, runner.actions(), routes);
    }
}
