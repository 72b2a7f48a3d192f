// The function app's user-assigned identity. It exists, and gets its roles, before the app does:
// a system-assigned identity only exists once the app is created, so its roles would be granted
// after the app starts and while `azd deploy` uploads the package with it, and both would meet 403
// until the assignments propagate (Azure/azure-dev issue 8026).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Identity name.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
