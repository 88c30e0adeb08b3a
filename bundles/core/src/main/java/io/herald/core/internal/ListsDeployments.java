package io.herald.core.internal;

import java.util.List;
import java.util.Map;

/**
 * A health indicator that also lists what runs from {@code deploy/}, for the {@code deployments} of the status action.
 * Plain maps, so that only {@link DeploymentsHealth} names the launcher's types (their package exists only under the
 * launcher).
 */
interface ListsDeployments {

    /** One entry per file: {@code file}, {@code bundle}, {@code version}, {@code state}, {@code problem}, {@code since}. */
    List<Map<String, Object>> deployments();
}
