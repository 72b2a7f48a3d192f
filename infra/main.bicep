// GameSignals: the whole platform in one resource group. `azd up` (azure.yaml) provisions this
// and deploys functions/GameSignals.Functions; the parameters live in main.bicepparam (dev,
// defaults) and main.prod.bicepparam (production profile).
targetScope = 'subscription'

// ---- Environment -------------------------------------------------------------------------------

@description('Environment name (azd\'s AZURE_ENV_NAME): names the resource group and seeds the resource names.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Region of every resource. It must offer the Flex Consumption plan.')
param location string

@description('Resource group name; empty for rg-<environmentName>.')
param resourceGroupName string = ''

@description('Public network access of every service. Disabled needs private endpoints and VNet integration, which this template does not create.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

// ---- Function app ----------------------------------------------------------------------------

@description('.NET isolated runtime version of the Flex Consumption app. Only \'10.0\': ARM accepts \'10\' and the host then fails to start (Azure/Azure-Functions issue 2666).')
@allowed([
  '10.0'
])
param dotnetVersion string = '10.0'

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Instances kept warm per function or group, e.g. [ { name: \'function:GameEvents\', instanceCount: 1 } ].')
param functionAlwaysReady array = []

@description('Concurrent HTTP requests per instance (admin API).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('NCRONTAB schedule of the IP ranges refresh (IpRanges__Schedule).')
param ipRangesSchedule string = '0 30 2 * * *'

@description('NCRONTAB schedule of the profile renormalisation (Profiles__RenormalizeSchedule): statistics and vectors recomputed per game.')
param profilesRenormalizeSchedule string = '0 0 * * * *'

@description('Games whose profiles the renormalisation timer refreshes (Profiles__Games, comma-separated).')
param profileGames array = []

@description('Push provider of the PushSender function (Push__Provider); off keeps notifications in the inbox only, so a first deployment runs before a webhook or FCM is set up.')
@allowed([
  'webhook'
  'fcm'
  'off'
])
param pushProvider string = 'off'

@description('URL push requests are posted to when pushProvider is webhook (Push__Webhook__Url).')
param pushWebhookUrl string = ''

@description('Key Vault secret URI of the webhook signing secret; the app reads it as a Key Vault reference (Push__Webhook__Secret). Empty: none.')
param pushWebhookSecretUri string = ''

@description('Key Vault secret URI of the FCM service account key JSON; the app reads it as a Key Vault reference (Push__Fcm__ServiceAccountJson). Empty: none.')
param pushFcmServiceAccountSecretUri string = ''

@description('Key Vault holding the push secrets above; the app\'s identity gets Key Vault Secrets User on it. Empty: none.')
param keyVaultName string = ''

// ---- Who may use the console ------------------------------------------------------------------

@description('Client id of the Entra ID app registration with the app roles Viewer, LiveOps, Security and Admin (infra/README.md, "Console sign-in"); the console signs users in with it. Empty: no sign-in, and the admin API takes function keys only.')
param consoleClientId string = ''

// ---- Who may use the hubs ----------------------------------------------------------------------

@description('Object ids (users, groups, service principals) of the game servers and billing systems allowed to send to game-events and payment-events (Azure Event Hubs Data Sender on those two hubs). Local auth is off: without this nobody but the app can reach the hubs.')
param eventProducerPrincipalIds array = []

@description('Object ids of the systems allowed to read fraud-actions (Azure Event Hubs Data Receiver on that hub).')
param fraudActionsConsumerPrincipalIds array = []

// ---- Storage -----------------------------------------------------------------------------------

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Account of the partitions\' state (snapshots and the changelog every batch appends to): a Premium block blob account with this replication, or None to keep it in the main storage account\'s partition-state container.')
@allowed([
  'Premium_LRS'
  'Premium_ZRS'
  'None'
])
param partitionStateStorageSku string = 'Premium_LRS'

// ---- Event Hubs --------------------------------------------------------------------------------

@description('Event Hubs tier.')
@allowed([
  'Standard'
  'Premium'
])
param eventHubsSku string = 'Standard'

@description('Throughput units (Standard: 1 MB/s or 1,000 events/s in each) or processing units (Premium).')
@minValue(1)
param eventHubsCapacity int = 1

@description('Standard: auto-inflate ceiling in throughput units; 0 turns auto-inflate off.')
@minValue(0)
@maxValue(40)
param eventHubsMaximumThroughputUnits int = 0

@description('Partitions of game-events.')
@minValue(1)
param gameEventsPartitions int = 4

@description('Partitions of payment-events.')
@minValue(1)
param paymentEventsPartitions int = 2

@description('Partitions of fraud-actions.')
@minValue(1)
param fraudActionsPartitions int = 2

@description('Hours events stay in the hubs (Standard: at most 168).')
@minValue(1)
param eventRetentionHours int = 24

// ---- Cosmos DB ---------------------------------------------------------------------------------

@description('Cosmos DB throughput: Serverless (pay per RU) or Autoscale (provisioned ceiling).')
@allowed([
  'Serverless'
  'Autoscale'
])
param cosmosThroughputMode string = 'Serverless'

@description('Autoscale: RU/s ceiling shared by the containers without dedicated throughput.')
@minValue(1000)
param cosmosDatabaseMaxThroughput int = 1000

@description('Autoscale: dedicated RU/s ceilings by container name, e.g. { profiles: 1000 }.')
param cosmosDedicatedMaxThroughput object = {}

@description('Spread Cosmos DB replicas over availability zones.')
param cosmosZoneRedundant bool = false

// ---- AI Search ---------------------------------------------------------------------------------

@description('AI Search tier.')
@allowed([
  'free'
  'basic'
  'standard'
  'standard2'
  'standard3'
])
param searchSku string = 'basic'

@description('AI Search replicas.')
@minValue(1)
@maxValue(12)
param searchReplicaCount int = 1

@description('AI Search partitions.')
@allowed([
  1
  2
  3
  4
  6
  12
])
param searchPartitionCount int = 1

@description('Name of the player-profile index (created by the app).')
param searchIndexName string = 'profiles'

// ---- Monitoring --------------------------------------------------------------------------------

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Daily Log Analytics ingestion cap in GB; -1 for none. With a cap, an alert says when it is reached, since logs and log alerts stop until it resets.')
param logDailyQuotaGb int = -1

@description('Send logs with one row per request or execution (Cosmos DB, Storage) to Log Analytics: hundreds of GB a day at full load. Metrics, control-plane logs and Application Insights always go.')
param perRequestLogs bool = true

@description('Email receiving alerts; empty for none.')
param alertEmail string = ''

@description('Existing action group to notify instead of creating one; empty to create one.')
param existingActionGroupId string = ''

@description('Failed function invocations in 5 minutes that raise an alert.')
@minValue(0)
param failedInvocationsThreshold int = 5

@description('Seconds from enqueue to end of processing above which consumers count as behind.')
@minValue(1)
param consumerLagSeconds int = 60

@description('Throttled (429) Cosmos DB requests in 5 minutes that raise an alert.')
@minValue(0)
param throttledRequestsThreshold int = 50

@description('Messages waiting in the push queues that raise an alert.')
@minValue(0)
param queueBacklogThreshold int = 1000

// ---- Names -------------------------------------------------------------------------------------

var tags = {
  'azd-env-name': environmentName
  application: 'gamesignals'
}
// Resource names are the service's abbreviation, the app, and a token unique to subscription,
// environment and region: always valid for every service's name rules (the environment name
// could contain characters or lengths some services reject); the resource group carries the
// environment name.
var token = toLower(uniqueString(subscription().id, environmentName, location))
var prefix = 'gs-${token}'
var functionAppName = 'func-${prefix}'
// Flex Consumption reads the package from this container.
var deploymentContainerName = 'app-package'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${prefix}'
    appInsightsName: 'appi-${prefix}'
    retentionInDays: logRetentionDays
    dailyQuotaGb: logDailyQuotaGb
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'stgs${token}'
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
    publicNetworkAccess: publicNetworkAccess
    workspaceId: monitoring.outputs.workspaceId
    perRequestLogs: perRequestLogs
  }
}

var separateStateAccount = partitionStateStorageSku != 'None'

module stateStorage 'modules/statestorage.bicep' = if (separateStateAccount) {
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'stgsstate${token}'
    skuName: partitionStateStorageSku == 'Premium_ZRS' ? 'Premium_ZRS' : 'Premium_LRS'
    publicNetworkAccess: publicNetworkAccess
    workspaceId: monitoring.outputs.workspaceId
    perRequestLogs: perRequestLogs
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'evhns-${prefix}'
    skuName: eventHubsSku
    capacity: eventHubsCapacity
    maximumThroughputUnits: eventHubsMaximumThroughputUnits
    gameEventsPartitions: gameEventsPartitions
    paymentEventsPartitions: paymentEventsPartitions
    fraudActionsPartitions: fraudActionsPartitions
    retentionHours: eventRetentionHours
    publicNetworkAccess: publicNetworkAccess
    workspaceId: monitoring.outputs.workspaceId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'cosmos-${prefix}'
    throughputMode: cosmosThroughputMode
    databaseMaxThroughput: cosmosDatabaseMaxThroughput
    dedicatedMaxThroughput: cosmosDedicatedMaxThroughput
    zoneRedundant: cosmosZoneRedundant
    publicNetworkAccess: publicNetworkAccess
    workspaceId: monitoring.outputs.workspaceId
    perRequestLogs: perRequestLogs
  }
}

module search 'modules/search.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'srch-${prefix}'
    skuName: searchSku
    replicaCount: searchReplicaCount
    partitionCount: searchPartitionCount
    publicNetworkAccess: publicNetworkAccess
    workspaceId: monitoring.outputs.workspaceId
  }
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'id-${prefix}'
  }
}

module functionApp 'modules/functionapp.bicep' = {
  scope: rg
  // The identity's roles exist before the app starts and before azd uploads its package.
  dependsOn: [
    roles
  ]
  params: {
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    location: location
    tags: tags
    name: functionAppName
    planName: 'plan-${prefix}'
    azdServiceName: 'functions'
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    partitionStateBlobEndpoint: separateStateAccount ? stateStorage!.outputs.blobEndpoint : ''
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    eventHubsNamespace: eventHubs.outputs.fullyQualifiedNamespace
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    searchEndpoint: search.outputs.endpoint
    searchIndexName: searchIndexName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    ipRangesSchedule: ipRangesSchedule
    profilesRenormalizeSchedule: profilesRenormalizeSchedule
    profileGames: profileGames
    pushProvider: pushProvider
    pushWebhookUrl: pushWebhookUrl
    pushWebhookSecretUri: pushWebhookSecretUri
    pushFcmServiceAccountSecretUri: pushFcmServiceAccountSecretUri
    dotnetVersion: dotnetVersion
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    alwaysReady: functionAlwaysReady
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    consoleClientId: consoleClientId
    publicNetworkAccess: publicNetworkAccess
  }
}

module roles 'modules/roles.bicep' = {
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    eventProducerPrincipalIds: eventProducerPrincipalIds
    fraudActionsConsumerPrincipalIds: fraudActionsConsumerPrincipalIds
    keyVaultName: keyVaultName
    storageAccountName: storage.outputs.name
    partitionStateAccountName: separateStateAccount ? stateStorage!.outputs.name : ''
    eventHubsNamespaceName: eventHubs.outputs.name
    cosmosAccountName: cosmos.outputs.name
    searchServiceName: search.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  params: {
    tags: tags
    namePrefix: prefix
    location: location
    alertEmail: alertEmail
    existingActionGroupId: existingActionGroupId
    appInsightsId: monitoring.outputs.appInsightsId
    workspaceId: monitoring.outputs.workspaceId
    logDailyQuotaGb: logDailyQuotaGb
    eventHubsNamespaceId: eventHubs.outputs.id
    cosmosAccountId: cosmos.outputs.id
    queueServiceId: storage.outputs.queueServiceId
    failedInvocationsThreshold: failedInvocationsThreshold
    consumerLagSeconds: consumerLagSeconds
    throttledRequestsThreshold: throttledRequestsThreshold
    queueBacklogThreshold: queueBacklogThreshold
  }
}

// ---- Outputs (azd stores them in the environment; the pipeline reads them) --------------------

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output GAMESIGNALS_CONSOLE_URL string = 'https://${functionApp.outputs.defaultHostName}/api/console/rules'
output GAMESIGNALS_CONSOLE_SIGN_IN_REDIRECT_URI string = 'https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback'
output AZURE_FUNCTION_APP_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_FUNCTION_APP_CLIENT_ID string = identity.outputs.clientId
output AZURE_FUNCTION_APP_SETTING_NAMES array = functionApp.outputs.appSettingNames
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_PARTITION_STATE_BLOB_ENDPOINT string = separateStateAccount ? stateStorage!.outputs.blobEndpoint : storage.outputs.blobEndpoint
output AZURE_EVENTHUBS_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint
output AZURE_SEARCH_INDEX string = searchIndexName
output AZURE_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceId
output AZURE_APPINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output AZURE_ACTION_GROUP_ID string = alerts.outputs.actionGroupId
