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

// Function app: one warm instance for the hot trigger removes cold starts from the 1 s latency budget.
param functionInstanceMemoryMB = 2048
param functionMaximumInstanceCount = 100
param functionAlwaysReady = [
  {
    name: 'function:GameEvents'
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

// Cosmos DB: sustained load makes provisioned autoscale several times cheaper than serverless.
// The ledger and profiles take most writes and get their own ceilings; the rest share 4,000.
param cosmosThroughputMode = 'Autoscale'
param cosmosDatabaseMaxThroughput = 4000
param cosmosDedicatedMaxThroughput = {
  events: 10000
  profiles: 10000
  notifications: 4000
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
