#!/usr/bin/env node
// TEST-ONLY: the local Cosmos DB stand-in for the integration tests and .ci/run, never part of the product.
// It runs @vercel/cosmosdb-server (HTTPS, self-signed) and mends the two gaps that stop the .NET SDK:
//  - a query-plan request (header x-ms-cosmos-is-query-plan-request) is answered with a pass-through
//    plan, so the SDK sends the query itself and the server runs it (queries and ReadMany then work;
//    the partition key header stays ignored, so queries must filter on the key in WHERE);
//  - reading a missing document answers 500 there; it is turned into the 404 Cosmos DB answers;
//  - a query must name every partition key path in WHERE there, while Cosmos DB also runs a query on
//    a prefix of a hierarchical key (profiles: /gameId of /gameId, /userId): queries are let through
//    as cross-partition ones, and still filter on the key in WHERE;
//  - it closes each connection after one answer unless asked to keep them alive (see createHttpsServer).
// Usage: node cosmos-standin.js [--port 8081] [--host 127.0.0.1]
"use strict";
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = parseInt(option("--port", "8081"), 10);
const host = option("--host", "127.0.0.1");

const passThroughPlan = JSON.stringify({
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: "None", top: null, offset: null, limit: null, orderBy: [], orderByExpressions: [],
    groupByExpressions: [], groupByAliases: [], aggregates: [], groupByAliasToAggregateType: {},
    rewrittenQuery: "", hasSelectValue: false, hasNonStreamingOrderBy: false,
  },
  queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }],
});
const documentRead = /^\/dbs\/[^/]+\/colls\/[^/]+\/docs\/[^/]+\/?$/;

// Connections kept alive: the server answers "connection: close" otherwise, and every request then pays a TLS handshake.
const server = createHttpsServer({ keepAlive: true });
const serve = server.listeners("request");
server.removeAllListeners("request");
server.on("request", (req, res) => {
  if (String(req.headers["x-ms-cosmos-is-query-plan-request"]).toLowerCase() === "true") {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "x-ms-activity-id": "00000000-0000-0000-0000-000000000000", "x-ms-request-charge": "0" });
    res.end(passThroughPlan);
    return;
  }
  if (req.method === "POST" && String(req.headers["x-ms-documentdb-isquery"]).toLowerCase() === "true") {
    req.headers["x-ms-documentdb-query-enablecrosspartition"] = "true";
  }
  if (req.method === "GET" && documentRead.test(req.url.split("?")[0])) {
    const end = res.end.bind(res);
    res.end = (...rest) => {
      if (res.statusCode === 500) {
        res.statusCode = 404;
        return end(JSON.stringify({ code: "NotFound", message: "Entity with the specified id does not exist in the system." }));
      }
      return end(...rest);
    };
  }
  for (const listener of serve) listener.call(server, req, res);
});
server.listen(port, host, () => console.log(`Cosmos stand-in ready at https://${host}:${server.address().port}/`));
