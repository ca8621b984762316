// The Cognigy.AI node's calls: the core's requests, sent with the "Cognigy.AI API" credential.
export { N8nCognigyClient } from '../../../shared/cognigy';
