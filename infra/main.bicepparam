// Development profile, and the one `azd up` uses: serverless Cosmos DB, one throughput unit,
// nothing kept warm, full diagnostics. Costs close to nothing while idle.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'gamesignals-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param alertEmail = readEnvironmentVariable('GAMESIGNALS_ALERT_EMAIL', '')

param cosmosThroughputMode = 'Serverless'
param eventHubsCapacity = 1
param gameEventsPartitions = 4
param paymentEventsPartitions = 2
param fraudActionsPartitions = 2
param eventRetentionHours = 24
param searchSku = 'basic'
param perRequestLogs = true
