// Cosmos DB for NoSQL: database `gamesignals` and one container per store of the app.
// Entra ID only (data-plane RBAC); keys are disabled.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Account name.')
param name string

@description('Serverless bills per RU consumed (cheap when idle, capped per partition); Autoscale provisions a ceiling and bills the hourly peak (at least 10% of it).')
@allowed([
  'Serverless'
  'Autoscale'
])
param throughputMode string

@description('Autoscale only: RU/s ceiling shared by every container without dedicated throughput.')
@minValue(1000)
param databaseMaxThroughput int

@description('Autoscale only: containers that get their own RU/s ceiling instead of sharing the database\'s, e.g. { profiles: 1000 }. Hot containers get their own so they cannot starve the rest.')
param dedicatedMaxThroughput object

@description('Spread replicas over availability zones (not every region offers it).')
param zoneRedundant bool

@description('Public network access.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Log Analytics workspace receiving diagnostics.')
param workspaceId string

@description('Send logs with one row per request or per partition key (DataPlaneRequests, QueryRuntimeStatistics, PartitionKeyRUConsumption): invaluable for debugging, hundreds of GB a day at full load.')
param perRequestLogs bool

var databaseName = 'gamesignals'
var serverless = throughputMode == 'Serverless'

// Indexing policies. Containers read only by point reads (id + partition key) index nothing:
// every indexed path costs RU on every write, and these are the hottest writes.
var pointReadsOnly = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: []
  excludedPaths: [
    {
      path: '/*'
    }
  ]
}

func queryable(largePaths array) object => {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    {
      path: '/*'
    }
  ]
  excludedPaths: concat(
    [
      {
        path: '/"_etag"/?'
      }
    ],
    map(largePaths, p => { path: p })
  )
}

var days = 86400

// The containers. ttl: seconds after the last write (wall clock, from _ts); -1 turns TTL on with
// no default, so each item sets its own `ttl`; null leaves TTL off. A unique key is only set where
// the id does not already guarantee it: containers partitioned by /id hold one item per
// partition, and the other ids are derived from (source, event id), so they are unique by design.
// Unique keys cannot be changed after creation.
var containers = [
  {
    // Player inboxes: queried per user, newest first.
    name: 'notifications'
    partitionKeys: [
      '/userId'
    ]
    ttl: 30 * days
    indexingPolicy: queryable([
      '/title/?'
      '/body/?'
    ])
    uniqueKeys: []
  }
  {
    // Players' languages, written by the game hub's partitions when one changes, read by the payment hub's.
    name: 'locales'
    partitionKeys: [
      '/id'
    ]
    ttl: null
    indexingPolicy: pointReadsOnly
    uniqueKeys: []
  }
  {
    // Notification rules, listed per game by the admin API and the rule cache.
    name: 'rules'
    partitionKeys: [
      '/gameId'
    ]
    ttl: null
    indexingPolicy: queryable([
      '/templates/*'
    ])
    uniqueKeys: []
  }
  {
    // Every change to a rule (who, when, before and after), listed per rule newest first; kept for good.
    name: 'rulehistory'
    partitionKeys: [
      '/gameId'
    ]
    ttl: null
    indexingPolicy: queryable([
      '/before/*'
      '/after/*'
    ])
    uniqueKeys: []
  }
  {
    // What shadow rules would have sent, and their comparison with the active rule: one partition per rule
    // (/shadowRule, a hash of game and rule), every read a single-partition query on timeKey. Each item
    // carries its own ttl (Notifications:ShadowRetention, 30 days).
    name: 'shadownotifications'
    partitionKeys: [
      '/shadowRule'
    ]
    ttl: -1
    indexingPolicy: queryable([
      '/notification/*'
    ])
    uniqueKeys: []
  }
  {
    // Fraud settings per game (fraud.json's `games` entries).
    name: 'fraudconfig'
    partitionKeys: [
      '/gameId'
    ]
    ttl: null
    indexingPolicy: queryable([
      '/catalog/*'
      '/clientSignatures/*'
      '/googlePlay/*'
    ])
    uniqueKeys: []
  }
  {
    // Stats settings per game (stats.json's `games` entries: moments, peers, experiment).
    name: 'statssettings'
    partitionKeys: [
      '/gameId'
    ]
    ttl: null
    indexingPolicy: queryable([])
    uniqueKeys: []
  }
  {
    // Experiment counts: one item per experiment, hub and partition, upserted hourly in event time; summed per game.
    name: 'experimentcounts'
    partitionKeys: [
      '/gameId'
    ]
    ttl: null
    indexingPolicy: queryable([
      '/treatment/*'
      '/control/*'
    ])
    uniqueKeys: []
  }
  {
    // What control players would have received (stats notifications never sent), per player like the inboxes;
    // each item carries the notification's ttl.
    name: 'wouldhavereceived'
    partitionKeys: [
      '/userId'
    ]
    ttl: -1
    indexingPolicy: queryable([
      '/notification/explanation/*'
    ])
    uniqueKeys: []
  }
  {
    // Fraud flags, reviewed per game; the evidence is shown, never filtered on.
    name: 'flags'
    partitionKeys: [
      '/gameId'
    ]
    ttl: null
    indexingPolicy: queryable([
      '/evidence/*'
    ])
    uniqueKeys: []
  }
  {
    // Devices seen per IP in the device-farm window: state that spans user partitions; each
    // item's ttl is the window.
    name: 'devicesightings'
    partitionKeys: [
      '/id'
    ]
    ttl: -1
    indexingPolicy: pointReadsOnly
    uniqueKeys: []
  }
  {
    // Store receipts already redeemed (replay detection), keyed by receipt/order: kept for good.
    name: 'receiptuses'
    partitionKeys: [
      '/id'
    ]
    ttl: null
    indexingPolicy: pointReadsOnly
    uniqueKeys: []
  }
  {
    // Player feature profiles, under a hierarchical key (/gameId, /userId): every reader works per
    // game (the renormalisation timer reads a game's population, the similarity search and the
    // index refresh are per game), and a query on the /gameId prefix stays targeted at that game's
    // partitions, while the writes of a large game spread over as many physical partitions as it
    // needs. A plain /gameId key would cap one game at one physical partition's 10,000 RU/s and
    // 20 GB, below one large game's load at 80,000 events a minute; a partition key cannot change
    // once the container exists, so it is decided before the first deployment.
    name: 'profiles'
    partitionKeys: [
      '/gameId'
      '/userId'
    ]
    ttl: null
    // The app queries profiles by gameId only; the profile itself (nested under /profile) is
    // rewritten every batch, so indexing its fields would only add RU to the hottest writes.
    indexingPolicy: queryable([
      '/profile/*'
    ])
    // One profile per player per game: the item id is the user id inside the (game, user) partition.
    uniqueKeys: []
  }
  {
    // Per-game population statistics of the profiles (one item per game, replaced by the
    // renormalisation timer), read by point read.
    name: 'profilestats'
    partitionKeys: [
      '/id'
    ]
    ttl: null
    indexingPolicy: pointReadsOnly
    uniqueKeys: []
  }
  {
    // IP and ASN blocklist entries, read whole into memory and edited by the admin API.
    name: 'blocklist'
    partitionKeys: [
      '/id'
    ]
    ttl: null
    indexingPolicy: queryable([])
    uniqueKeys: []
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    capabilities: serverless
      ? [
          {
            name: 'EnableServerless'
          }
        ]
      : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: publicNetworkAccess
    enableAutomaticFailover: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless
      ? {}
      : {
          autoscaleSettings: {
            maxThroughput: databaseMaxThroughput
          }
        }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: union(
        {
          id: container.name
          partitionKey: {
            paths: container.partitionKeys
            // More than one path: a hierarchical key (profiles).
            kind: length(container.partitionKeys) > 1 ? 'MultiHash' : 'Hash'
            version: 2
          }
          indexingPolicy: container.indexingPolicy
          uniqueKeyPolicy: {
            uniqueKeys: container.uniqueKeys
          }
        },
        container.ttl == null ? {} : { defaultTtl: container.ttl }
      )
      options: serverless || !contains(dedicatedMaxThroughput, container.name)
        ? {}
        : {
            autoscaleSettings: {
              maxThroughput: dedicatedMaxThroughput[container.name]
            }
          }
    }
  }
]

// Always: account changes and the largest partition keys (periodic, small).
var lightLogs = [
  'ControlPlaneRequests'
  'PartitionKeyStatistics'
]
// Per request, or per key and second: containers keyed by /id have one key per event.
var requestLogs = [
  'DataPlaneRequests'
  'QueryRuntimeStatistics'
  'PartitionKeyRUConsumption'
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: map(concat(lightLogs, perRequestLogs ? requestLogs : []), category => {
      category: category
      enabled: true
    })
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames array = map(containers, c => c.name)
