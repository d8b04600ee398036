import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	payload: 'validate';
	profile: 'build' | 'inspect';
	owner: 'importCsv' | 'reconcile';
	certificate: 'inspect' | 'match';
};

export type EasProfileType = AllEntities<NodeMap>;
