// Development profile, and the one `azd up` uses: serverless Cosmos DB, one throughput unit,
// nothing kept warm, full diagnostics. Costs close to nothing while idle.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'gamesignals-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param alertEmail = readEnvironmentVariable('GAMESIGNALS_ALERT_EMAIL', '')
// Comma-separated object ids: who may send events, who may read fraud-actions (see infra/README.md,
// "First deployment"), and the Key Vault of the push secrets.
param eventProducerPrincipalIds = map(filter(split(readEnvironmentVariable('GAMESIGNALS_EVENT_PRODUCERS', ''), ','), id => !empty(trim(id))), id => trim(id))
param fraudActionsConsumerPrincipalIds = map(filter(split(readEnvironmentVariable('GAMESIGNALS_FRAUD_ACTIONS_CONSUMERS', ''), ','), id => !empty(trim(id))), id => trim(id))
param keyVaultName = readEnvironmentVariable('GAMESIGNALS_KEY_VAULT', '')
// The console's sign-in: the app registration's client id (infra/README.md, "Console sign-in"); empty: keys only.
param consoleClientId = readEnvironmentVariable('GAMESIGNALS_CONSOLE_CLIENT_ID', '')
// Push stays off (inbox only) until a provider is set up: see infra/README.md, "First deployment".
param pushProvider = readEnvironmentVariable('GAMESIGNALS_PUSH_PROVIDER', 'off')
param pushWebhookUrl = readEnvironmentVariable('GAMESIGNALS_PUSH_WEBHOOK_URL', '')
param pushWebhookSecretUri = readEnvironmentVariable('GAMESIGNALS_PUSH_WEBHOOK_SECRET_URI', '')

param cosmosThroughputMode = 'Serverless'
param eventHubsCapacity = 1
param gameEventsPartitions = 4
param paymentEventsPartitions = 2
param fraudActionsPartitions = 2
param eventRetentionHours = 24
param searchSku = 'basic'
// The partitions' state on its own Premium block blob account, as in production (capacity is cents when idle).
param partitionStateStorageSku = 'Premium_LRS'
param perRequestLogs = true
