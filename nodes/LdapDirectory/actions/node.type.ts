import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	owner: 'read' | 'sync';
};

export type LdapDirectoryType = AllEntities<NodeMap>;
