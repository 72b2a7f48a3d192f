// Production profile, sized for the origin platform's load: 80,000 events a minute
// (about 1,333 events/s of ~400 B, 533 KB/s) on game-events, with headroom. See infra/README.md
// for the arithmetic behind each number and the cost it implies.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'gamesignals-prod')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param alertEmail = readEnvironmentVariable('GAMESIGNALS_ALERT_EMAIL', '')
// Comma-separated object ids: who may send events, who may read fraud-actions (see infra/README.md,
// "First deployment"), and the Key Vault of the push secrets.
param eventProducerPrincipalIds = map(filter(split(readEnvironmentVariable('GAMESIGNALS_EVENT_PRODUCERS', ''), ','), id => !empty(trim(id))), id => trim(id))
param fraudActionsConsumerPrincipalIds = map(filter(split(readEnvironmentVariable('GAMESIGNALS_FRAUD_ACTIONS_CONSUMERS', ''), ','), id => !empty(trim(id))), id => trim(id))
param keyVaultName = readEnvironmentVariable('GAMESIGNALS_KEY_VAULT', '')
// The console's sign-in: the app registration's client id (infra/README.md, "Console sign-in"); empty: keys only.
param consoleClientId = readEnvironmentVariable('GAMESIGNALS_CONSOLE_CLIENT_ID', '')

// Function app: memory, not CPU, sets the instance count (infra/README.md, "Cost"). The replay measures about
// 12 µs of CPU per event, so 1,333 events/s is about 2% of one core; the game hub's 32 partition states hold a
// 1.4 GiB duplicate window (24 h at 42 events/s a partition, 12 bytes a key), more than one 2 GB instance holds
// beside the host and the worker, so two instances own 16 partitions each. That holds only once written, idle
// profile parts are evicted and the hourly re-seal stops doubling the window (not built: infra/README.md, "Known
// limits"); until then raise GameEvents to 4, then 8, as the instances' memory grows. Flex scales each trigger on its own
// instances; under steady load every one of them is busy, and an always-ready instance costs 23% less per busy
// GB-second than an on-demand one, so the payment hub and the push queue get one each. host.json's
// targetUnprocessedEventThreshold keeps the Event Hubs scaler from reading the ten batches between checkpoints as
// a backlog; a real backlog still adds on-demand instances, up to the maximum (40, the lowest this template accepts: Flex's documented floor).
param functionInstanceMemoryMB = 2048
param functionMaximumInstanceCount = 40
param functionAlwaysReady = [
  {
    name: 'function:GameEvents'
    instanceCount: 2
  }
  {
    name: 'function:PaymentEvents'
    instanceCount: 1
  }
  {
    name: 'function:PushSender'
    instanceCount: 1
  }
]

param storageSku = 'Standard_ZRS'
// The partitions' state: one conditional append per batch per partition (84 M a month at this load), on a
// Premium block blob account, zone-redundant like the main account (infra/README.md, "Cost").
param partitionStateStorageSku = 'Premium_ZRS'

// Event Hubs: 1,333 events/s needs 2 TUs by event count (1,000 events/s each); 3 leaves room
// for payment-events and fraud-actions, auto-inflate absorbs bursts. 32 partitions (the
// Standard maximum, fixed at creation) is the ceiling of parallel consumer instances.
param eventHubsSku = 'Standard'
param eventHubsCapacity = 3
param eventHubsMaximumThroughputUnits = 10
param gameEventsPartitions = 32
param paymentEventsPartitions = 8
param fraudActionsPartitions = 4
param eventRetentionHours = 72

// Cosmos DB: sustained load makes provisioned autoscale several times cheaper than serverless. Autoscale bills
// each hour's peak, at least 10% of the ceiling, so the ceilings sit at 2x or more the measured need at the
// hourly peak (infra/README.md, "Cost": 1.36 RU per event): the shared pool (device sightings, flags, receipts,
// languages, configuration) ≈ 1,190 RU/s under 3,000; notifications ≈ 380 and profiles ≈ 340 RU/s under 1,000
// each (the lowest autoscale ceiling). Notifications and profiles keep throughput of their own so a burst of
// either cannot starve the pipeline's shared containers.
param cosmosThroughputMode = 'Autoscale'
param cosmosDatabaseMaxThroughput = 3000
param cosmosDedicatedMaxThroughput = {
  profiles: 1000
  notifications: 1000
}
param cosmosZoneRedundant = true

// AI Search: two replicas for the read availability SLA.
param searchSku = 'basic'
param searchReplicaCount = 2
param searchPartitionCount = 1

// Monitoring: per-request Cosmos/Storage logs would ingest hundreds of GB a day at this load.
param perRequestLogs = false
param logRetentionDays = 30
param logDailyQuotaGb = 10
param failedInvocationsThreshold = 20
param throttledRequestsThreshold = 200
