/**
 * GraphQL plumbing shared by the features: global IDs, connections and pagination, user errors
 * and validation, scalars, query limits and error mapping. Features keep their own controllers.
 */
package io.nomadstays.graphql;
