// Role assignments: the only way anything reaches the services, since every service here has keys
// and shared-key access turned off. Each is scoped to the one resource (or hub) it is needed on.
// The app's identity is user-assigned and these assignments are made before the app exists
// (main.bicep), so they have propagated by the time the app starts and `azd deploy` uploads.

@description('Object id of the function app\'s user-assigned identity.')
param principalId string

@description('Object ids (users, groups, service principals) of the game servers and billing systems that send events to game-events and payment-events.')
param eventProducerPrincipalIds array

@description('Object ids of the systems that read fraud-actions (enforcement, analytics).')
param fraudActionsConsumerPrincipalIds array

param storageAccountName string

@description('Premium block blob account of the partitions\' state; empty when the state shares the main account.')
param partitionStateAccountName string
param eventHubsNamespaceName string
param cosmosAccountName string
param searchServiceName string
param appInsightsName string

@description('Key Vault holding the push secrets the app reads as Key Vault references; empty for none.')
param keyVaultName string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host leases and checkpoints, deployment package, dead letters, ip ranges
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // the partitions' state: read, write, delete blobs; no ACLs
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // push queue and its poison queue
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  searchIndexDataContributor: '8ebe5a00-799e-43f5-93ac-243d3dce84a7' // profile documents and queries
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Entra-authenticated telemetry ingestion
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault references
}

// Cosmos DB data-plane role: Cosmos DB Built-in Data Contributor (not an Azure RBAC role).
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

// Who reads and writes which hub: the app reads the two input hubs and writes fraud-actions only;
// producers write the input hubs; downstream consumers read fraud-actions.
var hubRoles = concat(
  [
    { hub: 'game-events', role: roles.eventHubsDataReceiver, principalId: principalId, principalType: 'ServicePrincipal' }
    { hub: 'payment-events', role: roles.eventHubsDataReceiver, principalId: principalId, principalType: 'ServicePrincipal' }
    { hub: 'fraud-actions', role: roles.eventHubsDataSender, principalId: principalId, principalType: 'ServicePrincipal' }
  ],
  flatten(map(eventProducerPrincipalIds, producer => [
    { hub: 'game-events', role: roles.eventHubsDataSender, principalId: producer, principalType: '' }
    { hub: 'payment-events', role: roles.eventHubsDataSender, principalId: producer, principalType: '' }
  ])),
  map(fraudActionsConsumerPrincipalIds, consumer => { hub: 'fraud-actions', role: roles.eventHubsDataReceiver, principalId: consumer, principalType: '' })
)

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource stateStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = if (!empty(partitionStateAccountName)) {
  name: empty(partitionStateAccountName) ? 'unused' : partitionStateAccountName
}

resource eventHubs 'Microsoft.EventHub/namespaces@2026-01-01' existing = {
  name: eventHubsNamespaceName
}

resource hubs 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' existing = [
  for assignment in hubRoles: {
    parent: eventHubs
    name: assignment.hub
  }
]

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: cosmosAccountName
}

resource search 'Microsoft.Search/searchServices@2025-05-01' existing = {
  name: searchServiceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = if (!empty(keyVaultName)) {
  name: empty(keyVaultName) ? 'unused' : keyVaultName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor]: {
    name: guid(storage.id, principalId, role)
    scope: storage
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource stateStorageRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(partitionStateAccountName)) {
  name: guid(stateStorage.id, principalId, roles.storageBlobDataContributor)
  scope: stateStorage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource eventHubsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (assignment, i) in hubRoles: {
    name: guid(hubs[i].id, assignment.principalId, assignment.role)
    scope: hubs[i]
    properties: {
      principalId: assignment.principalId
      // Producers and consumers may be users, groups or service principals: ARM looks the type up.
      principalType: empty(assignment.principalType) ? null : assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.role)
    }
  }
]

// Creating and updating the profile index definition, and nothing else of the service: Search
// Service Contributor would also let the app scale or delete the service.
resource searchIndexManager 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(search.id, 'gamesignals-search-index-manager')
  properties: {
    roleName: 'GameSignals Search Index Manager (${searchServiceName})'
    description: 'Reads, creates and updates index definitions of one search service; no service, key or data operations.'
    type: 'CustomRole'
    // Assignable in this resource group (custom roles cannot name a single resource); it is
    // assigned below on the search service only.
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Search/searchServices/indexes/read'
          'Microsoft.Search/searchServices/indexes/write'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource searchRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.searchIndexDataContributor), searchIndexManager.id]: {
    name: guid(search.id, principalId, role)
    scope: search
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: role
    }
  }
]

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultName)) {
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource cosmosRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: cosmos
  name: guid(cosmos.id, principalId, cosmosDataContributor)
  properties: {
    principalId: principalId
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    scope: cosmos.id
  }
}
