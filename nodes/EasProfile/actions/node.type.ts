import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	payload: 'validate';
};

export type EasProfileType = AllEntities<NodeMap>;
